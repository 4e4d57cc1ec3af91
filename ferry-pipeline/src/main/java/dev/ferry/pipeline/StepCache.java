package dev.ferry.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Step results by cache key: {@code <dir>/<key>.json} holds the output hashes, metrics and values
 * of the run that first produced them. An entry is used only when every object it names is still
 * in the object store.
 */
final class StepCache {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    static final int FORMAT = 1;

    /** A cached result and the run that produced it. */
    record Entry(StepResult result, String runId) {
    }

    private final Path dir;
    private final ObjectStore objects;

    StepCache(Path dir, ObjectStore objects) {
        this.dir = dir;
        this.objects = objects;
    }

    Optional<Entry> get(String key) {
        Path f = dir.resolve(key + ".json");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            Map<?, ?> m = JSON.readValue(f.toFile(), Map.class);
            if (!Integer.valueOf(FORMAT).equals(m.get("format"))) {
                return Optional.empty();
            }
            @SuppressWarnings("unchecked") Map<String, String> files = (Map<String, String>) m.get("files");
            @SuppressWarnings("unchecked") Map<String, Number> metrics = (Map<String, Number>) m.get("metrics");
            @SuppressWarnings("unchecked") Map<String, String> values = (Map<String, String>) m.get("values");
            if (!files.values().stream().allMatch(objects::contains)) {
                return Optional.empty();
            }
            Map<String, Double> doubles = new LinkedHashMap<>();
            metrics.forEach((k, v) -> doubles.put(k, v.doubleValue()));
            return Optional.of(new Entry(new StepResult(files, doubles, values), String.valueOf(m.get("run"))));
        } catch (IOException | ClassCastException | NullPointerException e) {
            // An unreadable entry is a miss: the step runs and the entry is rewritten.
            return Optional.empty();
        }
    }

    void put(String key, StepResult result, String runId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("run", runId);
        m.put("files", result.files());
        m.put("metrics", result.metrics());
        m.put("values", result.values());
        // Renamed into place but not forced to disk: an entry lost or torn by a crash reads as a
        // miss, and the step simply runs again.
        Path target = dir.resolve(key + ".json");
        Path tmp = dir.resolve(".tmp-" + key + "-" + java.util.UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            Files.write(tmp, JSON.writeValueAsBytes(m));
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file is garbage either way
            }
            throw new dev.ferry.UnavailableException("the cache entry " + target + " could not be written: " + e.getMessage(), e);
        }
    }

    /** SHA-256 over a canonical JSON form of everything a step's result depends on. */
    static String key(Map<String, Object> material) {
        try {
            return Hashes.text(JSON.writeValueAsString(material));
        } catch (IOException e) {
            throw new IllegalStateException("a cache key could not be computed", e);
        }
    }
}
