package dev.ferry.bench.serving;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.DataFormatException;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One open-loop load phase against a Ferry server: requests sent at a fixed rate whatever the
 * answers' latency, each latency measured from the request's scheduled send time (no coordinated
 * omission), optionally with an admin change once a second (the hot-swap phase). Runs in a JVM
 * of its own ({@link Child}), so the client's allocation, GC and JIT do not pause the server it
 * measures; {@code main} is that child's entry point. Only ever talks to the URLs it is given.
 */
public final class LoadClient {

    private static final int MAX_IN_FLIGHT = 2_000;
    private static final int NEAR_TICK_MS = 50;

    /**
     * A phase: requests to {@code url} (POST of the bodies in {@code bodies}, one per line, in turn;
     * GET when {@code bodies} is null) at {@code rate}/s for {@code seconds}. With {@code tickUrl},
     * one POST a second to it with the next of {@code tickBodies}, bearing {@code token}.
     */
    public record Phase(String name, String url, Path bodies, int rate, int seconds, String tickUrl, List<String> tickBodies,
                        String token) {

        static Phase of(String name, String url, Path bodies, int rate, int seconds) {
            return new Phase(name, url, bodies, rate, seconds, null, List.of(), null);
        }

        Phase withTicks(String url, List<String> bodies, String adminToken) {
            return new Phase(name, url(), bodies(), rate, seconds, url, bodies, adminToken);
        }

        List<String> args() {
            List<String> a = new ArrayList<>(List.of(name, url, bodies == null ? "-" : bodies.toString(),
                    Integer.toString(rate), Integer.toString(seconds)));
            if (tickUrl != null) {
                a.addAll(List.of(tickUrl, String.join("|", tickBodies), token));
            }
            return a;
        }

        static Phase parse(String[] a) {
            if (a.length != 5 && a.length != 8) {
                throw new IllegalArgumentException("expected NAME URL BODIES|- RATE SECONDS [TICK_URL TICK_BODIES TOKEN]; got "
                        + List.of(a));
            }
            return new Phase(a[0], a[1], a[2].equals("-") ? null : Path.of(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]),
                    a.length == 8 ? a[5] : null, a.length == 8 ? List.of(a[6].split("\\|")) : List.of(), a.length == 8 ? a[7] : null);
        }
    }

    /** Latencies in ms; requests that failed (not 200), were answered degraded, or were not sent (too many in flight). */
    public record Result(long count, long failed, long degraded, long unsent, double p50, double p90, double p99, double p999,
                         double max) {
        /** {@code perMs}: histogram units in a millisecond (1e3 for micros, 1e6 for nanos). */
        static Result of(Histogram h, long failed, long degraded, long unsent, double perMs) {
            return new Result(h.getTotalCount(), failed, degraded, unsent, h.getValueAtPercentile(50) / perMs,
                    h.getValueAtPercentile(90) / perMs, h.getValueAtPercentile(99) / perMs,
                    h.getValueAtPercentile(99.9) / perMs, h.getMaxValue() / perMs);
        }

        static Result nanos(Histogram h) {
            return of(h, 0, 0, 0, 1e6);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "n=%d failed=%d degraded=%d unsent=%d  p50=%.3f p90=%.3f p99=%.3f p99.9=%.3f max=%.3f ms",
                    count, failed, degraded, unsent, p50, p90, p99, p999, max);
        }
    }

    /**
     * The requests' latencies, and the admin changes' (empty without ticks). {@code latencies} and
     * {@code tickLatencies} are the same as histograms in microseconds, for pooling phases;
     * {@code nearTicks} holds the latencies of the requests due in the {@value #NEAR_TICK_MS} ms
     * after an admin change was sent.
     */
    public record Outcome(Result requests, Result ticks, Histogram latencies, Histogram tickLatencies, Histogram nearTicks) {
    }

    private LoadClient() {
    }

    /**
     * The child JVM's loop: one phase per line on standard input (its arguments separated by tabs),
     * one RESULT line per phase on standard output, until the input ends. One child serves every
     * phase of a run, so its JIT is warm after the first (warm-up) phase.
     */
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) {
                continue;
            }
            Raw raw = run(Phase.parse(line.split("\t")));
            System.out.println("RESULT " + raw.failed + " " + raw.degraded + " " + raw.unsent + " " + encode(raw.latencies) + " "
                    + encode(raw.ticks) + " " + encode(raw.nearTicks));
            System.out.flush();
        }
        System.exit(0);
    }

    /** A client JVM started once and reused for every phase; close it when the run ends. */
    public static final class Child implements AutoCloseable {

        private final Process process;
        private final java.io.BufferedWriter in;
        private final BufferedReader out;

        public Child() throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> command = new ArrayList<>(List.of(java, "-Xmx1g"));
            String extra = System.getProperty("ferry.bench.clientJvmArgs", "").trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+"))); // e.g. -Dferry.bench.clientJvmArgs=-Xlog:gc
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadClient.class.getName()));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new java.io.BufferedWriter(new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Runs one phase in the child and waits for its result. */
        public Outcome run(Phase phase) throws IOException {
            in.write(String.join("\t", phase.args()));
            in.newLine();
            in.flush();
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    String[] f = line.split(" ");
                    Histogram latencies = decode(f[4]);
                    Histogram ticks = decode(f[5]);
                    return new Outcome(Result.of(latencies, Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), 1e3),
                            Result.of(ticks, 0, 0, 0, 1e3), latencies, ticks, decode(f[6]));
                }
            }
            throw new IllegalStateException("load client JVM ended without a result for phase '" + phase.name() + "'");
        }

        @Override
        public void close() throws IOException, InterruptedException {
            in.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Runs the phase in this JVM. */
    public static Outcome inThisJvm(Phase phase) throws IOException, InterruptedException {
        Raw raw = run(phase);
        return new Outcome(Result.of(raw.latencies, raw.failed, raw.degraded, raw.unsent, 1e3), Result.of(raw.ticks, 0, 0, 0, 1e3),
                raw.latencies, raw.ticks, raw.nearTicks);
    }

    private record Raw(Histogram latencies, Histogram ticks, Histogram nearTicks, long failed, long degraded, long unsent) {
    }

    private static Raw run(Phase phase) throws IOException, InterruptedException {
        List<byte[]> bodies = new ArrayList<>();
        if (phase.bodies() != null) {
            for (String line : Files.readAllLines(phase.bodies(), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    bodies.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        URI uri = URI.create(phase.url());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        ConcurrentHistogram h = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(30), 3);
        ConcurrentHistogram ticks = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(30), 3);
        ConcurrentHistogram nearTicks = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(30), 3);
        long lastTick = Long.MIN_VALUE / 2;
        AtomicLong failed = new AtomicLong();
        AtomicLong degraded = new AtomicLong();
        AtomicLong unsent = new AtomicLong();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        long total = (long) phase.rate() * phase.seconds();
        long period = 1_000_000_000L / phase.rate();
        long t0 = System.nanoTime();
        long tickCount = 0;
        for (int i = 0; i < total; i++) {
            long intended = t0 + i * period;
            long now;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(intended - now);
            }
            if (phase.tickUrl() != null && (now - t0) / 1_000_000_000L >= tickCount + 1) { // one admin change a second
                String body = phase.tickBodies().get((int) (tickCount++ % phase.tickBodies().size()));
                long t = System.nanoTime();
                lastTick = t;
                if (!phase.tickUrl().equals("none")) { // "none": only marks the time, a control for the near-tick latencies
                    http.sendAsync(HttpRequest.newBuilder(URI.create(phase.tickUrl())).header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + phase.token())
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                            .whenComplete((r, e) -> {
                                if (e != null || r.statusCode() != 200) {
                                    System.err.println(phase.name() + ": admin change failed: " + (e != null ? e : r.statusCode() + " " + r.body()));
                                }
                                ticks.recordValue(Math.min((System.nanoTime() - t) / 1_000, ticks.getHighestTrackableValue()));
                            });
                }
            }
            if (!inFlight.tryAcquire()) {
                unsent.incrementAndGet();
                continue;
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
            HttpRequest request = bodies.isEmpty() ? b.GET().build()
                    : b.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i % bodies.size()))).build();
            boolean nearTick = intended - lastTick < TimeUnit.MILLISECONDS.toNanos(NEAR_TICK_MS);
            http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
                long micros = (System.nanoTime() - intended) / 1_000;
                if (nearTick) {
                    nearTicks.recordValue(Math.min(micros, nearTicks.getHighestTrackableValue()));
                }
                inFlight.release();
                if (e != null || r.statusCode() != 200) {
                    failed.incrementAndGet();
                } else if (degraded(r.body())) {
                    degraded.incrementAndGet();
                }
                h.recordValue(Math.min(micros, h.getHighestTrackableValue()));
            });
        }
        if (!inFlight.tryAcquire(MAX_IN_FLIGHT, 30, TimeUnit.SECONDS)) {
            System.err.println(phase.name() + ": requests still in flight after 30 s");
        }
        return new Raw(h, ticks, nearTicks, failed.get(), degraded.get(), unsent.get());
    }

    private static boolean degraded(byte[] body) {
        return body.length > 0 && new String(body, StandardCharsets.UTF_8).contains("\"degraded\":true");
    }

    private static String encode(Histogram h) {
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(b);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(b.array(), n));
    }

    private static Histogram decode(String s) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(s)), 0);
        } catch (DataFormatException e) {
            throw new IllegalStateException("load client sent a histogram that does not decode: " + e, e);
        }
    }
}
