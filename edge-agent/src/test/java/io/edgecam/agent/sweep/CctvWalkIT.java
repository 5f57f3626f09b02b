package io.edgecam.agent.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.capture.FrameSource;
import io.edgecam.agent.config.AgentConfig;
import io.edgecam.agent.config.SourceConfig;
import io.edgecam.agent.service.FacePipelineAnalyzer;
import io.edgecam.agent.track.BestShot;
import io.edgecam.agent.track.Face;
import io.edgecam.agent.track.IouTracker;
import io.edgecam.face.image.Frame;
import io.edgecam.face.scene.CctvScenes;
import io.edgecam.face.scene.Scene;
import io.edgecam.face.scene.SceneFace;
import io.edgecam.protocol.Box;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's analyzer (full+tiles, sweep scheduler) and tracker over a generated 1080p video of
 * four people walking across the frame, their faces growing from 24 to 64 px: each person whose
 * face reaches 40 px (the quality gate's minFaceSize) must give at least one candidate.
 */
class CctvWalkIT {
  private static final int W = 1920;
  private static final int H = 1080;
  private static final int FRAMES = 40;
  private static final int PEOPLE = 4;

  @TempDir Path dir;

  @Test
  void everyWalkerReaching40PxGivesACandidate() throws Exception {
    List<Scene> walk = CctvScenes.generator().walk(W, H, FRAMES, PEOPLE, 24, 64, 7);
    Path video = dir.resolve("walk.avi");
    write(walk, video);

    AgentConfig config =
        AgentConfig.parse(
            """
            device: d
            site: s
            source: {path: x}
            pipeline: {detector: full+tiles, precision: float, threads: 1}
            tracker: {bestShotIntervalMs: 0, maxAgeMs: 100000}
            """,
            "agent.yaml",
            dir);
    Map<Integer, Integer> candidatesPerPerson = new TreeMap<>();
    int frames = 0;
    long nanos = 0;
    Map<String, Long> counters;
    try (FacePipelineAnalyzer analyzer = FacePipelineAnalyzer.open(config.pipeline());
        FrameSource source =
            FrameSource.open(new SourceConfig(SourceConfig.Type.VIDEO, video, null, 0, false))) {
      IouTracker tracker = new IouTracker(config.tracker());
      List<BestShot> shots = new ArrayList<>();
      Frame frame;
      while ((frame = source.next()) != null) {
        long t0 = System.nanoTime();
        List<Face> faces = analyzer.analyze(frame);
        nanos += System.nanoTime() - t0;
        shots.addAll(tracker.update(100L * frames, faces));
        frames++;
      }
      shots.addAll(tracker.flush());
      counters = analyzer.counters();
      for (BestShot shot : shots) {
        int person = person(walk, shot.face().box());
        if (person >= 0) {
          candidatesPerPerson.merge(person, 1, Integer::sum);
        }
      }
    }
    System.err.printf(
        "CctvWalkIT: %d frames 1920x1080, %.1f ms/frame (%.1f fps, analyzer only), candidates per"
            + " person %s, counters %s%n",
        frames, nanos / 1e6 / frames, frames * 1e9 / nanos, candidatesPerPerson, counters);
    assertThat(frames).isEqualTo(FRAMES);
    assertThat(candidatesPerPerson.keySet()).containsExactly(0, 1, 2, 3);
    assertThat(counters).containsKeys("faces_too_small", "sweep_cut_short", "tiles_searched");
    assertThat(counters.get("faces_too_small")).isPositive(); // 24-39 px faces are found first
  }

  /** The walker whose ground-truth box overlaps {@code box} in some frame, or -1. */
  private static int person(List<Scene> walk, Box box) {
    for (Scene s : walk) {
      for (int k = 0; k < s.faces().size(); k++) {
        SceneFace f = s.faces().get(k);
        if (f.iou(box.x(), box.y(), box.width(), box.height()) >= 0.3f) {
          return k;
        }
      }
    }
    return -1;
  }

  private static void write(List<Scene> scenes, Path video) throws Exception {
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(video.toFile(), W, H)) {
      rec.setFormat("avi");
      rec.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
      rec.setVideoQuality(2); // MJPEG qscale: high quality, as a camera's main stream
      rec.setFrameRate(10);
      rec.start();
      for (Scene s : scenes) {
        org.bytedeco.javacv.Frame f =
            new org.bytedeco.javacv.Frame(W, H, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3);
        ByteBuffer buf = (ByteBuffer) f.image[0];
        byte[] rgb = s.frame().rgb();
        for (int y = 0; y < H; y++) {
          buf.position(y * f.imageStride);
          buf.put(rgb, 3 * y * W, 3 * W);
        }
        buf.rewind();
        rec.record(f, avutil.AV_PIX_FMT_RGB24);
      }
    }
  }
}
