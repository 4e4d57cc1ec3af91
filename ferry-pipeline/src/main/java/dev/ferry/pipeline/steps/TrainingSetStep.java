package dev.ferry.pipeline.steps;

import dev.ferry.features.CsvSource;
import dev.ferry.features.EntityRows;
import dev.ferry.features.FeatureRegistry;
import dev.ferry.features.FeatureRepository;
import dev.ferry.features.FeatureView;
import dev.ferry.features.OfflineStore;
import dev.ferry.features.ParquetSource;
import dev.ferry.features.TrainingSetManifest;
import dev.ferry.features.TrainingSetRequest;
import dev.ferry.pipeline.Hashes;
import dev.ferry.pipeline.Reproducer;
import dev.ferry.pipeline.StepContext;
import dev.ferry.pipeline.StepResult;
import dev.ferry.pipeline.StepType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code training-set}: applies a feature repository ({@code repository}) to the feature registry
 * in the data directory and builds a point-in-time training set for the entity rows
 * ({@code entities}: a file, or {@code entities_from}: an upstream output) with a feature service
 * ({@code service}) or features ({@code features}). Outputs {@code training.parquet}, rows sorted
 * so the same data gives the same bytes, and {@code manifest.json} pointing at it, with the
 * views, versions, fingerprints and time ranges; those are also reported as values.
 */
public final class TrainingSetStep implements StepType, Reproducer.RecordOutputs {

    static final String OUTPUT = "training.parquet";
    static final String MANIFEST = "manifest.json";

    @Override
    public String name() {
        return "training-set";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public Set<String> requiredParams() {
        return Set.of("repository");
    }

    @Override
    public Set<String> recordOutputs() {
        return Set.of(MANIFEST);
    }

    @Override
    public List<Path> inputFiles(StepContext context) {
        Path repo = context.path("repository");
        if (!Files.exists(repo)) {
            throw context.invalid("repository", context.string("repository"), "a feature repository file or directory (resolved to " + repo + ")");
        }
        List<Path> files = new ArrayList<>();
        files.add(repo);
        context.optional("entities").ifPresent(e -> files.add(entities(context)));
        for (FeatureView v : FeatureRepository.load(repo).views()) {
            if (v.source() instanceof CsvSource c) {
                files.add(c.path());
            } else if (v.source() instanceof ParquetSource p) {
                files.add(p.path());
            }
        }
        return files;
    }

    private static Path entities(StepContext context) {
        Path p = context.path("entities");
        if (!Files.isRegularFile(p)) {
            throw context.invalid("entities", context.string("entities"), "an existing file of entity rows (resolved to " + p + ")");
        }
        return p;
    }

    @Override
    public StepResult run(StepContext context) throws Exception {
        FeatureRegistry registry = context.environment().features();
        registry.apply(FeatureRepository.load(context.path("repository")));
        Path entityFile = context.optional("entities").isPresent() ? entities(context)
                : context.upstreamFile(context.optional("entities_from").orElseThrow(() -> context.invalid("entities", null,
                        "a file of entity rows, or entities_from naming an upstream output")));
        TrainingSetRequest.Builder request = TrainingSetRequest.builder().fullFeatureNames(false);
        EntityRows rows = EntityRows.file(entityFile);
        request.entities(context.optional("time_column").map(rows::timeColumn).orElse(rows));
        if (context.optional("service").isPresent()) {
            request.service(context.string("service"));
        } else if (!context.list("features").isEmpty()) {
            request.features(context.list("features").toArray(String[]::new));
        } else {
            throw context.invalid("service", null, "a feature service, or a list of features");
        }
        Path scratch = Files.createTempDirectory(context.outputDir().getParent(), "training-set");
        try {
            Path raw = scratch.resolve("raw.parquet");
            TrainingSetManifest m;
            try (OfflineStore store = OfflineStore.open(registry)) {
                m = store.trainingSet(request.output(raw).build());
            }
            Path out = context.outputDir().resolve(OUTPUT);
            sortedCopy(raw, out);
            String sha = Hashes.file(out);
            TrainingSetManifest stored = new TrainingSetManifest(m.format(), m.createdAt(), m.entities(), m.views(), m.features(),
                    new TrainingSetManifest.OutputSummary(context.objects().path(sha).toString(), m.output().format(), "sha256:" + sha,
                            m.output().rows(), m.output().columns()));
            stored.write(context.outputDir().resolve(MANIFEST));
            context.log().printf("training set: %d rows, %d features, entity time %s .. %s%n", m.output().rows(), m.features().size(),
                    m.entities().from(), m.entities().to());
            Map<String, String> values = new LinkedHashMap<>();
            values.put("training_data", "sha256:" + sha);
            values.put("entities", m.entities().source());
            values.put("entities_fingerprint", m.entities().fingerprint());
            values.put("entities_from", String.valueOf(m.entities().from()));
            values.put("entities_to", String.valueOf(m.entities().to()));
            for (TrainingSetManifest.ViewSummary v : m.views()) {
                String k = "view." + v.view() + "@" + v.version();
                values.put(k + ".fingerprint", v.fingerprint());
                values.put(k + ".from", String.valueOf(v.from()));
                values.put(k + ".to", String.valueOf(v.to()));
            }
            return StepResult.of(Map.of("rows", (double) m.output().rows()), values);
        } finally {
            try (var walk = Files.walk(scratch)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Rewrites the file with its rows in a total order, on one thread, so equal data gives equal bytes. */
    private static void sortedCopy(Path from, Path to) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads = 1");
            s.execute("COPY (SELECT * FROM read_parquet('" + sql(from) + "') ORDER BY ALL) TO '" + sql(to) + "' (FORMAT parquet)");
        }
    }

    static String sql(Path p) {
        return p.toAbsolutePath().toString().replace("'", "''");
    }
}
