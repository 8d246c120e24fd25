package io.github.mcppolicyproxy.limits.store;

import java.util.List;

/**
 * Where {@code grant} and {@code global} counters live. Every method is one atomic step: a
 * {@link #take} checks every counter of a call and takes all of them or none, even against other
 * processes sharing the store. Implementations may block; callers bound them (see
 * {@link TimedStore}).
 */
public interface CounterStore extends AutoCloseable {
  /** Returned by {@link #take} and {@link #peek} when every counter has room. */
  int ALL_TAKEN = -1;

  /**
   * Takes every take's permits if each counter's count plus its permits stays within its max;
   * else takes nothing. Returns {@link #ALL_TAKEN} or the index of the first counter without room.
   */
  int take(List<Take> takes) throws StoreException;

  /** Like {@link #take} without taking anything. */
  int peek(List<Take> takes) throws StoreException;

  /** Gives back permits (never below zero; a window that has expired is left alone). */
  void give(List<Take> takes) throws StoreException;

  /** Every counter of a window not yet ended at {@code nowMillis}. */
  List<CounterState> list(long nowMillis) throws StoreException;

  /** Deletes every window of {@code counter} in {@code scope}; how many were deleted. */
  int reset(String scope, String counter) throws StoreException;

  /** Where this store is, for messages ("memory", a path, a redis URI without password). */
  String describe();

  @Override
  void close();
}
