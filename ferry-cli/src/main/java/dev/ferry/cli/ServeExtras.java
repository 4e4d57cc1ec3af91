package dev.ferry.cli;

import dev.ferry.InvalidInputException;
import dev.ferry.kafka.KafkaPredictionLog;
import dev.ferry.online.NearCacheOnlineStore;
import dev.ferry.online.OnlineStore;
import dev.ferry.predictionlog.ParquetPredictionLog;
import dev.ferry.server.ServerConfig;
import dev.ferry.serving.NearCacheMetrics;
import dev.ferry.serving.PredictionLogSink;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What {@code ferry serve} adds around the server from its configuration and options: the extra
 * prediction logs ({@code log.parquet-dir}, {@code log.kafka-*}) with their dropped counts as the
 * meter {@code ferry.serving.log.sink.dropped{sink}}, and the near cache over the online store.
 */
final class ServeExtras {

    /** Rows per Parquet file; a file is also written when the JSON Lines roll age passes. */
    static final long PARQUET_MAX_ROWS = 100_000;

    private ServeExtras() {
    }

    /** The configured extra sinks, and how to publish their dropped counts once the server's meters exist. */
    record ExtraLogs(Optional<PredictionLogSink> sink, Consumer<MeterRegistry> bindMetrics) {
    }

    static ExtraLogs extraLogs(ServerConfig cfg, Clock clock) {
        List<PredictionLogSink> sinks = new ArrayList<>();
        List<Consumer<MeterRegistry>> binds = new ArrayList<>();
        cfg.logParquetDir().ifPresent(dir -> {
            ParquetPredictionLog parquet = new ParquetPredictionLog(dir, PARQUET_MAX_ROWS, cfg.logMaxAge(), cfg.logQueue(), clock,
                    Thread.ofPlatform().daemon().name("ferry-parquet-log").factory());
            sinks.add(parquet);
            binds.add(m -> dropped(m, "parquet", parquet, ParquetPredictionLog::dropped));
        });
        cfg.logKafka().ifPresent(k -> {
            KafkaPredictionLog kafka = KafkaPredictionLog.create(k.bootstrap(), k.topic(), Map.of());
            if (!kafka.awaitMetadata(java.time.Duration.ofSeconds(10))) {
                System.getLogger("dev.ferry.cli").log(System.Logger.Level.WARNING, "Kafka prediction log: no metadata for topic "
                        + k.topic() + " from " + k.bootstrap() + " within 10 s; records are dropped (and counted) until the broker answers");
            }
            sinks.add(kafka);
            binds.add(m -> dropped(m, "kafka", kafka, KafkaPredictionLog::dropped));
        });
        Optional<PredictionLogSink> sink = sinks.isEmpty() ? Optional.empty() : Optional.of(PredictionLogSink.all(sinks));
        return new ExtraLogs(sink, m -> binds.forEach(b -> b.accept(m)));
    }

    private static <T> void dropped(MeterRegistry meters, String name, T sink, java.util.function.ToDoubleFunction<T> count) {
        FunctionCounter.builder("ferry.serving.log.sink.dropped", sink, count)
                .description("prediction records an extra log sink could not write")
                .tag("sink", name)
                .register(meters);
    }

    /**
     * Wraps {@code store} in a near cache when {@code size} is set (entities; staleness defaults to 2
     * seconds), registering its meters through {@code bind} once a registry exists.
     */
    static OnlineStore nearCache(OnlineStore store, Long size, String staleness, Clock clock, List<Consumer<MeterRegistry>> bind) {
        if (size == null) {
            if (staleness != null) {
                throw new InvalidInputException("--near-cache-staleness was '" + staleness + "' but it needs --near-cache-size");
            }
            return store;
        }
        NearCacheOnlineStore cached = new NearCacheOnlineStore(store, size, duration(staleness == null ? "2s" : staleness), clock);
        bind.add(m -> NearCacheMetrics.bind(cached, m, "online"));
        return cached;
    }

    /** {@code 500ms}, {@code 2s}, {@code 1m}, or ISO-8601 ({@code PT2S}). */
    static Duration duration(String text) {
        String t = text.trim();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.parse(t);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new InvalidInputException("--near-cache-staleness was '" + text + "' but it must be a duration like 500ms, 2s, 1m or PT2S");
        }
    }
}
