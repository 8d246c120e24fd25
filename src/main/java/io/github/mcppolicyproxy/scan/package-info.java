/**
 * {@code mcp-policy-proxy scan}: a starter policy from the tools an upstream lists, each classed by
 * risk ({@link io.github.mcppolicyproxy.scan.RiskClassifier}) and given the rule its risk calls for
 * ({@link io.github.mcppolicyproxy.scan.StarterPolicy}).
 */
package io.github.mcppolicyproxy.scan;
