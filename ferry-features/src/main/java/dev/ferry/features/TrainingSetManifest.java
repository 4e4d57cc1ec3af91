package dev.ferry.features;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.InvalidInputException;
import dev.ferry.registry.TrainingData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What a training set was built from, written as JSON next to it: the views and versions used,
 * the features, fingerprints and time ranges of every source, row counts and the fingerprint of
 * the output. {@link #toTrainingData()} is what a model registered from the set records.
 * Time fields are null when the rows they summarise are empty.
 */
public record TrainingSetManifest(
        @JsonProperty("format") int format,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("entities") EntitySummary entities,
        @JsonProperty("views") List<ViewSummary> views,
        @JsonProperty("features") List<String> features,
        @JsonProperty("output") OutputSummary output) {

    /** The manifest format this version of Ferry writes and reads. */
    public static final int FORMAT = 1;

    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public TrainingSetManifest {
        views = List.copyOf(views);
        features = List.copyOf(features);
    }

    /** The entity rows: where they came from, their fingerprint, count and time range. */
    public record EntitySummary(@JsonProperty("source") String source, @JsonProperty("fingerprint") String fingerprint,
                                @JsonProperty("time_column") String timeColumn, @JsonProperty("rows") long rows,
                                @JsonProperty("from") Instant from, @JsonProperty("to") Instant to) {
    }

    /** One joined view: its version, source fingerprint and event-time range, and how many entity rows it matched. */
    public record ViewSummary(@JsonProperty("view") String view, @JsonProperty("version") int version,
                              @JsonProperty("features") List<String> features, @JsonProperty("source") String source,
                              @JsonProperty("fingerprint") String fingerprint, @JsonProperty("source_rows") long sourceRows,
                              @JsonProperty("from") Instant from, @JsonProperty("to") Instant to,
                              @JsonProperty("matched") long matched) {
    }

    /** The written file. */
    public record OutputSummary(@JsonProperty("path") String path, @JsonProperty("format") OutputFormat format,
                                @JsonProperty("fingerprint") String fingerprint, @JsonProperty("rows") long rows,
                                @JsonProperty("columns") List<String> columns) {
    }

    /** The training-data provenance a model registry records: output file, its hash, entity time range, rows. */
    public TrainingData toTrainingData() {
        return new TrainingData(Path.of(output.path()).toUri().toString(), output.fingerprint(), entities.from(), entities.to(), output.rows());
    }

    /** Writes this manifest as JSON (to a temporary file first, then renamed). */
    public void write(Path file) {
        DirectoryRegistry.write(file, MAPPER.valueToTree(this));
    }

    /** Reads a manifest, refusing a format this version does not know. */
    public static TrainingSetManifest read(Path file) {
        try {
            JsonNode n = MAPPER.readTree(file.toFile());
            int format = n.path("format").asInt(-1);
            if (format != FORMAT) {
                throw new InvalidInputException("training set manifest " + file + " has format " + n.path("format")
                        + " but this version of Ferry reads format " + FORMAT);
            }
            return MAPPER.treeToValue(n, TrainingSetManifest.class);
        } catch (IOException e) {
            throw new InvalidInputException("training set manifest " + file + " could not be read: " + e.getMessage(), e);
        }
    }
}
