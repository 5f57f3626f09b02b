package io.edgecam.matcher.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgecam.matcher.testing.Entries;
import io.edgecam.matcher.testing.Vectors;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import io.edgecam.protocol.Int8Embedding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignBitWatchlistIndexTest {
  private final Random random = new Random(13);
  private final Instant now = Instant.parse("2025-06-01T00:00:00Z");
  private final List<float[]> vectors = new ArrayList<>();

  private List<WatchlistEntry> entries(int n) {
    return Entries.random(n, random, vectors, now);
  }

  private Int8Embedding near(int i, double cosine) {
    return Int8Embedding.quantize(Vectors.near(vectors.get(i), cosine, random));
  }

  @ParameterizedTest
  @EnumSource(SignBitWatchlistIndex.Scan.class)
  void findsEveryGenuineCandidateWithExactScoresAndAgreesWithExactSearch(
      SignBitWatchlistIndex.Scan scan) {
    List<WatchlistEntry> list = entries(5_000);
    ExactWatchlistIndex exact = new ExactWatchlistIndex();
    exact.replace(list);
    SignBitWatchlistIndex bits = new SignBitWatchlistIndex(400, 40, scan);
    bits.replace(list);
    int same = 0;
    int n = 400;
    for (int q = 0; q < n; q++) {
      int target = random.nextInt(5_000);
      Int8Embedding query =
          q % 2 == 0 ? near(target, 0.7) : Int8Embedding.quantize(Vectors.unit(random));
      Match e = exact.search(query, 0.45, now);
      Match b = bits.search(query, 0.45, now);
      if (q % 2 == 0) {
        assertThat(b).as("genuine candidate %d", q).isNotNull();
        assertThat(b.entryId()).isEqualTo("e" + target);
        assertThat(b.score()).isEqualTo(e.score()); // the exact cosine, not an estimate
      }
      same +=
          e == null ? (b == null ? 1 : 0) : (b != null && e.entryId().equals(b.entryId()) ? 1 : 0);
    }
    assertThat((double) same / n).isGreaterThanOrEqualTo(0.99);
    // The scan keeps a few percent of the list (1.5x as many by Hamming distance), of which the
    // codes pass on 40.
    // (Measured: 429 rows for a shortlist of 400, 690 by Hamming distance.)
    if (scan == SignBitWatchlistIndex.Scan.HAMMING) {
      assertThat(bits.meanShortlisted()).isBetween(1.4 * 400, 2.2 * 400);
    } else {
      assertThat(bits.meanShortlisted()).isBetween(0.8 * 400, 1.4 * 400);
    }
    assertThat(bits.meanReranked()).isEqualTo(40.0);
  }

  @Test
  void perEntryThresholdAndExpiryAreHonouredAmongTheReranked() {
    List<WatchlistEntry> list = new ArrayList<>(entries(3_000));
    float[] person = Vectors.unit(random);
    list.addAll(Entries.strictExpiredOk(person, random, now)); // one strict, one expired, one ok
    SignBitWatchlistIndex bits = new SignBitWatchlistIndex(200, 10);
    bits.replace(list);
    Int8Embedding q = Int8Embedding.quantize(Vectors.near(person, 0.9, random));

    assertThat(bits.search(q, 0.45, now.plusSeconds(120)).entryId()).isEqualTo("ok");
    assertThat(bits.search(q, 0.45, now).entryId()).isEqualTo("expired"); // closer, not expired yet
    assertThat(bits.search(q, 0.97, now.plusSeconds(120))).isNull();
  }

  @Test
  void replaceSwapsTheListAndSmallListsAreSearchedExactly() {
    SignBitWatchlistIndex bits = new SignBitWatchlistIndex(500, 50);
    bits.replace(entries(800)); // up to 2 x shortlist rows: every row is scored
    assertThat(bits.size()).isEqualTo(800);
    for (int i = 0; i < 800; i += 97) {
      assertThat(bits.search(near(i, 0.6), 0.45, now).entryId()).isEqualTo("e" + i);
    }
    assertThat(bits.meanReranked()).as("no scan below 2 x shortlist").isZero();

    bits.replace(List.of());
    assertThat(bits.size()).isZero();
    assertThat(bits.vectors()).isZero();
    assertThat(bits.search(near(3, 0.9), 0.45, now)).isNull();
  }

  @ParameterizedTest
  @EnumSource(SignBitWatchlistIndex.Scan.class)
  void otherDimensionsUseTheGeneralScan(SignBitWatchlistIndex.Scan scan) {
    // 80 dimensions: three 32-bit words, the last half full, or two 64-bit words, the second
    // with one 32-bit word in it; the 192-d fast path of the codes is not taken.
    List<WatchlistEntry> list = new ArrayList<>();
    List<float[]> small = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      float[] v = unit(80);
      small.add(v);
      list.add(Entries.entry("s" + i, v, now));
    }
    SignBitWatchlistIndex bits = new SignBitWatchlistIndex(300, 30, scan);
    bits.replace(list);
    for (int i = 0; i < 2_000; i += 199) {
      float[] noisy = small.get(i).clone();
      for (int d = 0; d < noisy.length; d++) {
        noisy[d] += (float) (random.nextGaussian() * 0.05); // cosine ~0.88
      }
      Int8Embedding q = Int8Embedding.quantize(Vectors.normalize(noisy));
      assertThat(bits.search(q, 0.45, now).entryId()).isEqualTo("s" + i);
    }
    assertThat(bits.meanReranked()).isEqualTo(30.0);
    assertThat(bits.search(Int8Embedding.quantize(Vectors.unit(random)), 0.1, now))
        .as("a 192-d query")
        .isNull();
  }

  @Test
  void aShortlistNoLongerThanRerankIsReRankedWhole() {
    List<WatchlistEntry> list = entries(3_000);
    SignBitWatchlistIndex bits = new SignBitWatchlistIndex(100, 100);
    bits.replace(list);
    for (int i = 0; i < 3_000; i += 301) {
      assertThat(bits.search(near(i, 0.7), 0.45, now).entryId()).isEqualTo("e" + i);
    }
    assertThat(bits.meanReranked()).isEqualTo(bits.meanShortlisted()).isBetween(50.0, 300.0);
  }

  @Test
  void theTwoBitCodesKeepTheRowsNearestByExactCosine() {
    // Whatever the scan shortlists, refine must pass on the rows the exact cosine ranks first. A
    // wrong weight in the bit-serial sum or an overflow in the heap's packing ranks at random.
    List<WatchlistEntry> list = entries(3_000);
    SignBitWatchlistIndex.Codes codes =
        SignBitWatchlistIndex.Codes.of(VectorTable.of(list), SignBitWatchlistIndex.Scan.ASYMMETRIC);
    VectorTable t = codes.table;
    int[] all = new int[t.vectors];
    for (int v = 0; v < all.length; v++) {
      all[v] = v;
    }
    int keptFirst = 0;
    int keptTop5 = 0;
    int queries = 100;
    for (int i = 0; i < queries; i++) {
      byte[] q = Int8Embedding.quantize(Vectors.unit(random)).values();
      double qNorm = 0;
      for (byte b : q) {
        qNorm += b * b;
      }
      qNorm = Math.sqrt(qNorm);
      int[] kept = codes.refine(all, q, qNorm, 30);
      assertThat(kept).hasSize(30).isSorted();
      Integer[] byCosine = new Integer[t.vectors];
      for (int v = 0; v < byCosine.length; v++) {
        byCosine[v] = v;
      }
      double[] cos = new double[t.vectors];
      for (int v = 0; v < cos.length; v++) {
        cos[v] = t.cosine(q, qNorm, v);
      }
      java.util.Arrays.sort(byCosine, (a, b) -> Double.compare(cos[b], cos[a]));
      keptFirst += java.util.Arrays.binarySearch(kept, byCosine[0]) >= 0 ? 1 : 0;
      for (int k = 0; k < 5; k++) {
        keptTop5 += java.util.Arrays.binarySearch(kept, byCosine[k]) >= 0 ? 1 : 0;
      }
    }
    // 30 of 3,000 rows: by chance 1% of the nearest would be kept.
    assertThat(keptFirst).isGreaterThanOrEqualTo(95);
    assertThat(keptTop5).isGreaterThanOrEqualTo(400);
  }

  @ParameterizedTest
  @EnumSource(SignBitWatchlistIndex.Scan.class)
  void theScanKeepsExactlyTheRowsWithinTheCutoffAcrossBlocks(SignBitWatchlistIndex.Scan scan) {
    // 2 full blocks and a partial one: a wrong block offset, a lost last block or a word left
    // out of the distance changes which rows come back.
    int n = 2 * SignBitWatchlistIndex.BLOCK + 904;
    SignBitWatchlistIndex.Codes codes =
        SignBitWatchlistIndex.Codes.of(VectorTable.of(entries(n)), scan);
    VectorTable t = codes.table;
    int[][] rowBits = new int[n][];
    for (int v = 0; v < n; v++) {
      rowBits[v] = codes.bitsOf(t.data, v * t.dims, t.norms[v]);
    }
    int want = 150;
    for (int i = 0; i < 20; i++) {
      byte[] q = Int8Embedding.quantize(Vectors.unit(random)).values();
      int[] planes = codes.planes(q, Math.sqrt(normSquared(q)));
      int lanes = planes.length / 2;
      int[] dist = new int[n];
      for (int v = 0; v < n; v++) {
        for (int d = 0; d < 32 * lanes; d++) {
          int bit = rowBits[v][d / 32] >>> (d % 32) & 1;
          int sign = planes[d / 32] >>> (d % 32) & 1;
          int magnitude = planes[lanes + d / 32] >>> (d % 32) & 1;
          dist[v] +=
              bit == sign ? 0 : scan == SignBitWatchlistIndex.Scan.HAMMING ? 1 : 1 + 2 * magnitude;
        }
      }
      int cut = codes.cutoff(planes, want);
      int[] within = IntStream.range(0, n).filter(v -> dist[v] <= cut).toArray();
      assertThat(codes.nearest(planes, want)).containsExactly(within);
      assertThat(within.length).as("rows within the sampled cutoff").isBetween(want / 3, want * 3);
    }
  }

  @Test
  void thePlanesHoldTheCandidatesSignAndMagnitude() {
    SignBitWatchlistIndex.Codes codes =
        SignBitWatchlistIndex.Codes.of(
            VectorTable.of(entries(3_000)), SignBitWatchlistIndex.Scan.ASYMMETRIC);
    int magnitudes = 0;
    int dims = codes.mean.length;
    for (int i = 0; i < 20; i++) {
      byte[] q = Int8Embedding.quantize(Vectors.unit(random)).values();
      double qNorm = Math.sqrt(normSquared(q));
      int[] planes = codes.planes(q, qNorm);
      int lanes = planes.length / 2;
      double[] w = new double[dims];
      double squares = 0;
      for (int d = 0; d < dims; d++) {
        w[d] = (q[d] / qNorm - codes.mean[d]) * codes.step[d];
        squares += w[d] * w[d];
      }
      double unit = 0.9957 * Math.sqrt(squares / dims);
      for (int d = 0; d < dims; d++) {
        assertThat(planes[d / 32] >>> (d % 32) & 1).as("sign of %d", d).isEqualTo(w[d] < 0 ? 1 : 0);
        int magnitude = planes[lanes + d / 32] >>> (d % 32) & 1;
        assertThat(magnitude).as("magnitude of %d", d).isEqualTo(Math.abs(w[d]) > unit ? 1 : 0);
        magnitudes += magnitude;
      }
    }
    // About 32% of a Gaussian lies beyond 0.9957 standard deviations.
    assertThat(magnitudes / (20.0 * dims)).isBetween(0.25, 0.40);
  }

  @Test
  void theScanShortlistsTheRowsNearestByCosine() {
    // A wrong weight in the distance (the magnitude plane, a sign the wrong way round) ranks rows
    // by
    // something other than their cosine, and the entry a candidate came from drops out.
    List<WatchlistEntry> list = entries(10_000);
    SignBitWatchlistIndex.Codes codes =
        SignBitWatchlistIndex.Codes.of(VectorTable.of(list), SignBitWatchlistIndex.Scan.ASYMMETRIC);
    int found = 0;
    int queries = 200;
    for (int i = 0; i < queries; i++) {
      byte[] q = near(i * 37, 0.5).values();
      int[] rows = codes.nearest(codes.planes(q, Math.sqrt(normSquared(q))), 100);
      found += java.util.Arrays.binarySearch(rows, i * 37) >= 0 ? 1 : 0;
    }
    // 1% of the rows shortlisted: by chance 2 of 200.
    assertThat(found).isGreaterThanOrEqualTo(196);
  }

  private static long normSquared(byte[] q) {
    long s = 0;
    for (byte b : q) {
      s += b * b;
    }
    return s;
  }

  @Test
  void theScanCanBeChosenByASystemPropertyAndAWrongValueIsNamed() {
    String before = System.getProperty("edgecam.index.scan");
    try {
      System.setProperty("edgecam.index.scan", "hamming");
      assertThat(new SignBitWatchlistIndex(10, 5).scan())
          .isEqualTo(SignBitWatchlistIndex.Scan.HAMMING);
      System.setProperty("edgecam.index.scan", "asymmetric");
      assertThat(SignBitWatchlistIndex.Scan.forThisMachine())
          .isEqualTo(SignBitWatchlistIndex.Scan.ASYMMETRIC);
      System.setProperty("edgecam.index.scan", "simd");
      assertThatThrownBy(SignBitWatchlistIndex.Scan::forThisMachine)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("system property edgecam.index.scan must be asymmetric or hamming, was simd");
    } finally {
      if (before == null) {
        System.clearProperty("edgecam.index.scan");
      } else {
        System.setProperty("edgecam.index.scan", before);
      }
    }
  }

  @Test
  void shortlistAndRerankMustBePositive() {
    assertThatThrownBy(() -> new SignBitWatchlistIndex(0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shortlist must be positive, was 0");
    assertThatThrownBy(() -> new SignBitWatchlistIndex(10, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rerank must be positive, was 0");
  }

  private float[] unit(int dims) {
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return Vectors.normalize(v);
  }
}
