package io.edgecam.agent.spool;

import io.edgecam.protocol.Candidate;
import java.util.List;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Store-and-forward queue of candidates between the pipeline and the broker link. A candidate is
 * stored before it is published and removed only when the broker acknowledged it, so broker outages
 * and agent restarts lose nothing. Bounded: when full, the oldest candidates are dropped and
 * counted. Implementations are thread-safe (the pipeline appends while the publisher reads and
 * deletes).
 */
public interface CandidateSpool extends AutoCloseable {

  /**
   * Assigns the device's next sequence number, builds the candidate with it and stores it durably.
   * Sequence numbers are strictly increasing per device across restarts and never reused, not even
   * after drops.
   *
   * <p>If the disk is full and no room can be made, the candidate is dropped and counted in {@link
   * #dropped()} (its sequence number is not used) and the caller goes on: space may come back.
   *
   * @param withSequence builds the candidate for the given sequence number
   * @return the stored candidate, or null if it was dropped for lack of disk space
   */
  @Nullable Candidate append(LongFunction<Candidate> withSequence);

  /**
   * Up to {@code limit} stored candidates with a sequence above {@code afterSequence}, oldest
   * first.
   */
  List<SpooledCandidate> after(long afterSequence, int limit);

  /**
   * Removes a candidate once the broker acknowledged it.
   *
   * @return whether it was still stored (false if dropped or deleted before)
   */
  boolean delete(long sequence);

  /** Candidates stored now. */
  long size();

  /**
   * Candidates dropped by the size bound, the free-space reserve or a full disk since the spool was
   * created (persisted).
   */
  long dropped();

  /** The sequence number the next append will get. */
  long nextSequence();

  @Override
  void close();
}
