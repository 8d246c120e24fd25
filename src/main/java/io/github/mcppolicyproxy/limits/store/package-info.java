/**
 * Where {@code grant} and {@code global} counters live: {@link
 * io.github.mcppolicyproxy.limits.store.CounterStore} and its stores (this process's memory, a
 * SQLite file, Redis), each taking all of a call's counters or none in one atomic step, and {@link
 * io.github.mcppolicyproxy.limits.store.TimedStore}, which bounds every call by a timeout.
 */
package io.github.mcppolicyproxy.limits.store;
