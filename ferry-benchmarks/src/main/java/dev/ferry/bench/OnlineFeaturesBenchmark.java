package dev.ferry.bench;

import dev.ferry.online.EntityKey;
import dev.ferry.registry.file.FileModelRegistry;
import dev.ferry.server.FerryServer;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.OnlineFeatures;
import dev.ferry.serving.OnlineStoreFeatureFetcher.OnlineView;
import dev.ferry.types.FeatureType;
import dev.ferry.types.Field;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Online feature reads through Ferry's read API ({@link OnlineFeatures}, in process) and over HTTP
 * ({@code POST /v1/features} on a real server on a loopback port), on top of the stores and keys of
 * {@link OnlineReadBenchmark}, whose store-level and bare pipelined Lettuce benchmarks run in the
 * same trial. Sample-time mode, so JMH prints p50/p99 per benchmark.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OnlineFeaturesBenchmark extends OnlineReadBenchmark {

    private boolean started;
    private OnlineFeatures apiRocks;
    private OnlineFeatures apiRedis;
    private Map<String, List<Long>> entityColumns;
    private List<String> refs;
    private Path serverDir;
    private FerryServer serverRocks;
    private FerryServer serverRedis;
    private HttpClient client;
    private HttpRequest httpRocks;
    private HttpRequest httpRedis;

    // JMH runs a subclass's helpers before its superclass's, and calls an overridden helper once per
    // declaration; so this override fills the stores first, then starts the API and the servers, once.
    @Override
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (started) {
            return;
        }
        started = true;
        super.setUp();
        OnlineView view = new OnlineView("bench_view", VIEW, List.of(Field.required("entity_id", FeatureType.INT64)), features,
                Optional.of(Duration.ofDays(3650)));
        apiRocks = new OnlineFeatures(rocks, List.of(view), List.of());
        apiRedis = new OnlineFeatures(redis, List.of(view), List.of());
        List<Long> ids = new ArrayList<>();
        for (EntityKey k : keys) {
            ids.add((Long) k.values().getFirst());
        }
        entityColumns = Map.of("entity_id", ids);
        refs = features.stream().map(f -> "bench_view:" + f).toList();
        serverDir = Files.createTempDirectory("ferry-bench-server");
        serverRocks = server(apiRocks, "rocks");
        serverRedis = server(apiRedis, "redis");
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = "{\"features\": [" + String.join(",", refs.stream().map(r -> "\"" + r + "\"").toList())
                + "], \"entities\": {\"entity_id\": " + ids + "}, \"full_feature_names\": false}";
        httpRocks = request(serverRocks, body);
        httpRedis = request(serverRedis, body);
    }

    private FerryServer server(OnlineFeatures api, String name) {
        return FerryServer.builder()
                .config(ServerConfig.builder().host("127.0.0.1").port(0).adminToken("bench-admin-token-0123456789")
                        .dataDir(serverDir.resolve(name)).build())
                .registry(FileModelRegistry.open(serverDir.resolve(name + "-registry")))
                .onlineFeatures(api).build().start();
    }

    private static HttpRequest request(FerryServer server, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/features"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Override
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (!started) {
            return;
        }
        started = false;
        serverRocks.close();
        serverRedis.close();
        client.close();
        super.tearDown();
    }

    @Benchmark
    public OnlineFeatures.Response apiRocksdb() {
        return apiRocks.get(refs, entityColumns, false);
    }

    @Benchmark
    public OnlineFeatures.Response apiRedis() {
        return apiRedis.get(refs, entityColumns, false);
    }

    @Benchmark
    public byte[] httpRocksdb() throws Exception {
        return send(httpRocks);
    }

    @Benchmark
    public byte[] httpRedis() throws Exception {
        return send(httpRedis);
    }

    private byte[] send(HttpRequest request) throws Exception {
        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("/v1/features answered " + r.statusCode() + ": " + new String(r.body()));
        }
        return r.body();
    }
}
