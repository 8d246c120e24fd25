/**
 * {@code mcp-policy-proxy tail}: follows the violation log across rotation and truncation
 * ({@link io.github.mcppolicyproxy.tail.LogFollower}), selects records
 * ({@link io.github.mcppolicyproxy.tail.RecordFilter}) and shows each as one readable line
 * ({@link io.github.mcppolicyproxy.tail.RecordFormat}).
 */
package io.github.mcppolicyproxy.tail;
