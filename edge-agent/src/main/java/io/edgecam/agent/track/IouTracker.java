package io.edgecam.agent.track;

import io.edgecam.agent.config.TrackerConfig;
import io.edgecam.protocol.Box;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Follows faces from frame to frame by box overlap (IoU, greedy best-first) and picks one best shot
 * per track per interval, so a person standing in view for a minute yields a few candidates instead
 * of hundreds.
 *
 * <p>Emission rule: the first face with an embedding of a new track is emitted at once (a fast
 * first alert); after that the best-quality face seen since the last emission is emitted once
 * {@code bestShotIntervalMs} has passed. When a track ends (not seen for {@code maxAgeMs}) its
 * pending face is emitted only if it beats every face already emitted for the track.
 *
 * <p>Not thread-safe: owned by the pipeline thread.
 */
public final class IouTracker {
  private final TrackerConfig config;
  private final List<Track> tracks = new ArrayList<>();
  private int nextId = 1;

  public IouTracker(TrackerConfig config) {
    this.config = config;
  }

  /**
   * Feeds the faces of one frame.
   *
   * @param timeMillis the frame's capture time; must not go backwards
   * @param faces faces found in the frame
   * @return best shots due now, ordered by track id (often empty)
   */
  public List<BestShot> update(long timeMillis, List<Face> faces) {
    List<BestShot> out = new ArrayList<>();
    expire(timeMillis, out);
    match(timeMillis, faces);
    for (Track t : tracks) {
      if (t.pending != null
          && (t.emitted == 0 || timeMillis - t.lastEmit >= config.bestShotIntervalMs())) {
        out.add(t.emit(timeMillis));
      }
    }
    out.sort(Comparator.comparingInt(BestShot::trackId));
    return out;
  }

  /** Ends every track (end of source or shutdown), returning their due pending best shots. */
  public List<BestShot> flush() {
    List<BestShot> out = new ArrayList<>();
    expire(Long.MAX_VALUE, out);
    return out;
  }

  /** Number of live tracks. */
  public int activeTracks() {
    return tracks.size();
  }

  private void expire(long now, List<BestShot> out) {
    Iterator<Track> it = tracks.iterator();
    while (it.hasNext()) {
      Track t = it.next();
      if (now == Long.MAX_VALUE || now - t.lastSeen > config.maxAgeMs()) {
        if (t.pending != null && (t.emitted == 0 || t.pending.quality() > t.bestEmittedQuality)) {
          out.add(t.emit(now));
        }
        it.remove();
      }
    }
  }

  private void match(long now, List<Face> faces) {
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < tracks.size(); i++) {
      for (int j = 0; j < faces.size(); j++) {
        double iou = iou(tracks.get(i).box, faces.get(j).box());
        if (iou >= config.iou()) {
          pairs.add(new Pair(i, j, iou));
        }
      }
    }
    pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
    boolean[] trackUsed = new boolean[tracks.size()];
    boolean[] faceUsed = new boolean[faces.size()];
    for (Pair p : pairs) {
      if (!trackUsed[p.track] && !faceUsed[p.face]) {
        trackUsed[p.track] = true;
        faceUsed[p.face] = true;
        tracks.get(p.track).see(now, faces.get(p.face));
      }
    }
    for (int j = 0; j < faces.size(); j++) {
      if (!faceUsed[j]) {
        Track t = new Track(nextId(), faces.get(j).box());
        t.see(now, faces.get(j));
        tracks.add(t);
      }
    }
  }

  private int nextId() {
    int id = nextId;
    nextId = nextId == Integer.MAX_VALUE ? 1 : nextId + 1;
    return id;
  }

  /** Intersection over union of two boxes, 0..1. */
  static double iou(Box a, Box b) {
    long ix = Math.max(0, Math.min(a.x() + a.width(), b.x() + b.width()) - Math.max(a.x(), b.x()));
    long iy =
        Math.max(0, Math.min(a.y() + a.height(), b.y() + b.height()) - Math.max(a.y(), b.y()));
    long inter = ix * iy;
    long union = (long) a.width() * a.height() + (long) b.width() * b.height() - inter;
    return union <= 0 ? 0 : (double) inter / union;
  }

  private record Pair(int track, int face, double iou) {}

  private static final class Track {
    final int id;
    Box box;
    long lastSeen;
    long lastEmit;
    int emitted;
    float bestEmittedQuality = -1f;
    @Nullable Face pending;
    long pendingTime;

    Track(int id, Box box) {
      this.id = id;
      this.box = box;
    }

    void see(long now, Face face) {
      box = face.box();
      lastSeen = now;
      if (face.hasEmbedding() && (pending == null || face.quality() > pending.quality())) {
        pending = face;
        pendingTime = now;
      }
    }

    BestShot emit(long now) {
      Face f = pending;
      if (f == null) {
        throw new IllegalStateException("nothing pending on track " + id);
      }
      pending = null;
      lastEmit = now;
      emitted++;
      bestEmittedQuality = Math.max(bestEmittedQuality, f.quality());
      return new BestShot(id, pendingTime, f);
    }
  }
}
