/**
 * A policy that changes while the agent runs: {@link io.github.mcppolicyproxy.live.LivePolicy}
 * holds the one current version (a policy compiled into its judge), read once per decision;
 * {@link io.github.mcppolicyproxy.live.PolicyReloader} builds the next version off the hot path
 * and swaps it whole, or keeps the old one when the new file does not load;
 * {@link io.github.mcppolicyproxy.live.PolicyWatcher} and {@link io.github.mcppolicyproxy.live.Sighup}
 * say when. What outlives a version (counters, held approvals, the session) lives outside it.
 */
package io.github.mcppolicyproxy.live;
