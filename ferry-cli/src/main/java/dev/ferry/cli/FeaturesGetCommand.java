package dev.ferry.cli;

import dev.ferry.InvalidInputException;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.online.FeatureValue;
import dev.ferry.online.OnlineStore;
import dev.ferry.serving.OnlineFeatures;
import dev.ferry.serving.OnlineStoreFeatureFetcher.OnlineView;
import dev.ferry.types.Field;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ferry features get}: reads features of entities from the online store and prints one
 * line per entity row and feature with its value, status and event time, as {@code /v1/features}
 * would answer.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Read features of entities from the online store: value, status and event time per feature.")
final class FeaturesGetCommand extends FeaturesCommand.Base {

    @Option(names = "--entity", required = true, paramLabel = "KEY=VALUE",
            description = "A join key value, e.g. dob_ssn=19530219_5179; repeat a key for more entity rows.")
    List<String> entity;

    @Option(names = "--features", split = ",", description = "view:feature or view references, comma-separated.")
    List<String> features;

    @Option(names = "--service", description = "A feature service.")
    String service;

    @Option(names = "--full-names", description = "Name features view__feature.")
    boolean fullNames;

    @Option(names = "--as-of", description = "Judge max ages as of this instant (ISO-8601; default now).")
    Instant asOf;

    @Mixin
    OnlineStoreOption online;

    @Override
    void run(FeatureRegistry registry) {
        if ((service == null) == (features == null || features.isEmpty())) {
            throw new InvalidInputException("--service and --features were " + (service == null ? "both missing" : "both given")
                    + "; give exactly one of them");
        }
        Clock clock = asOf == null ? Clock.systemUTC() : Clock.fixed(asOf, ZoneOffset.UTC);
        try (OnlineStore store = online.open(dataDir, clock)) {
            OnlineFeatures api = Wiring.onlineFeatures(registry, store);
            Map<String, List<Object>> entities = entities(api);
            OnlineFeatures.Response r = service != null ? api.getService(service, entities, fullNames)
                    : api.get(features, entities, fullNames);
            print(r);
        }
    }

    private Map<String, List<Object>> entities(OnlineFeatures api) {
        Map<String, Field> keys = new LinkedHashMap<>();
        for (OnlineView v : api.views().values()) {
            v.joinKeys().forEach(k -> keys.putIfAbsent(k.name(), k));
        }
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (String e : entity) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("--entity was '" + e + "' but it must look like KEY=VALUE, e.g. zipcode=30721");
            }
            String name = e.substring(0, eq);
            Field key = keys.get(name);
            if (key == null) {
                throw new InvalidInputException("--entity key was '" + name + "' but the online views' join keys are " + keys.keySet());
            }
            out.computeIfAbsent(name, n -> new ArrayList<>()).add(key.type().parseText("--entity " + name, e.substring(eq + 1)));
        }
        return out;
    }

    private void print(OnlineFeatures.Response r) {
        for (int row = 0; row < r.rows().size(); row++) {
            List<FeatureValue> cells = r.rows().get(row);
            List<String> key = new ArrayList<>();
            for (int c = 0; c < r.entityColumns(); c++) {
                key.add(r.featureNames().get(c) + "=" + cells.get(c).value());
            }
            out().println("entity " + String.join(" ", key));
            out().printf("  %-40s %-20s %-16s %s%n", "FEATURE", "VALUE", "STATUS", "EVENT TIME");
            for (int c = r.entityColumns(); c < cells.size(); c++) {
                FeatureValue v = cells.get(c);
                out().printf("  %-40s %-20s %-16s %s%n", r.featureNames().get(c), v.value() == null ? "-" : render(v.value()),
                        v.status(), v.eventTime().map(Instant::toString).orElse("-"));
            }
        }
    }

    private static String render(Object value) {
        if (value instanceof float[] f) {
            return java.util.Arrays.toString(f);
        }
        if (value instanceof double[] d) {
            return java.util.Arrays.toString(d);
        }
        if (value instanceof int[] i) {
            return java.util.Arrays.toString(i);
        }
        if (value instanceof long[] l) {
            return java.util.Arrays.toString(l);
        }
        return String.valueOf(value);
    }
}
