package io.edgecam.ctl.bench;

import io.edgecam.protocol.Box;
import io.edgecam.protocol.Candidate;
import io.edgecam.protocol.CandidateCodec;
import io.edgecam.protocol.Int8Embedding;
import io.edgecam.protocol.seal.CandidateOpener;
import io.edgecam.protocol.seal.CandidateSealer;
import io.edgecam.protocol.seal.SealingKeyPair;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgecam bench sealing}: cost of sealed candidates per candidate (agent: seal + encode;
 * matcher: decode + open) against the plain CBOR codec measured in the same run, and their sizes.
 */
@Command(
    name = "sealing",
    mixinStandardHelpOptions = true,
    description =
        "Seal/open cost and size per candidate (X25519 + HKDF + AES-256-GCM) against the plain"
            + " CBOR codec in the same run; prints JSON.")
public final class BenchSealingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--candidates",
      defaultValue = "2000",
      description = "Candidates per measured pass (default: ${DEFAULT-VALUE}).")
  int count;

  @Override
  public Integer call() {
    if (count < 10 || count > 1_000_000) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--candidates must be in 10..1000000, was " + count);
    }
    SealingKeyPair key = SealingKeyPair.generate();
    CandidateSealer sealer = new CandidateSealer(key.publicKey());
    CandidateOpener opener = CandidateOpener.of(List.of(key), false);
    Candidate[] cs = new Candidate[count];
    Random random = new Random(1);
    for (int i = 0; i < count; i++) {
      float[] v = new float[192];
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) random.nextGaussian();
      }
      cs[i] =
          new Candidate(
              "cam-0001",
              31_536_000L + i,
              1_767_225_600_123L + i,
              70_000,
              873,
              new Box(1_412, 655, 118, 131),
              "mfn-1.0.24",
              Int8Embedding.quantize(v));
    }
    byte[][] plain = new byte[count][];
    byte[][] sealed = new byte[count][];
    double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
    long sink = 0;
    spec.commandLine().getErr().println("bench sealing: 1 warm-up + 3 measured passes");
    for (int pass = 0; pass < 4; pass++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        plain[i] = CandidateCodec.encode(cs[i]);
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        sink += CandidateCodec.decode(plain[i]).sequence();
      }
      long t2 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        sealed[i] = sealer.sealAndEncode(cs[i]);
      }
      long t3 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        sink += opener.open(sealed[i]).sequence();
      }
      long t4 = System.nanoTime();
      if (pass > 0) {
        long[] ns = {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
        for (int k = 0; k < 4; k++) {
          best[k] = Math.min(best[k], ns[k] / 1e3 / count);
        }
      }
    }
    spec.commandLine()
        .getOut()
        .println(
            String.format(
                Locale.ROOT,
                "{\"candidates\":%d,\"plain_bytes\":%d,\"sealed_bytes\":%d,"
                    + "\"plain_encode_us\":%.2f,\"plain_decode_us\":%.2f,"
                    + "\"seal_encode_us\":%.2f,\"decode_open_us\":%.2f,"
                    + "\"seal_vs_plain_encode\":%.1f,\"open_vs_plain_decode\":%.1f,"
                    + "\"agent_seals_per_s\":%d,\"matcher_opens_per_s\":%d,\"checksum\":%d}",
                count,
                plain[0].length,
                sealed[0].length,
                best[0],
                best[1],
                best[2],
                best[3],
                best[2] / best[0],
                best[3] / best[1],
                Math.round(1e6 / best[2]),
                Math.round(1e6 / best[3]),
                sink % 1000));
    return 0;
  }
}
