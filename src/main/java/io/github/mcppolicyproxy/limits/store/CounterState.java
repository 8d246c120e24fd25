package io.github.mcppolicyproxy.limits.store;

/**
 * One counter of one window as a store holds it.
 *
 * @param scope {@code grant team-a} or {@code global}
 * @param resetMillis when the window ends and the count starts again from zero (epoch ms)
 */
public record CounterState(String scope, String counter, long windowStart, long resetMillis,
    long count, long max) {}
