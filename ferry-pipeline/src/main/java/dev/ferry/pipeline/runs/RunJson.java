package dev.ferry.pipeline.runs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.InvalidInputException;
import java.io.IOException;

/** The JSON form of a {@link RunRecord} (snake_case keys), refusing a format this version does not know. */
public final class RunJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RunJson() {
    }

    public static byte[] write(RunRecord run) {
        try {
            return MAPPER.writeValueAsBytes(run);
        } catch (IOException e) {
            throw new IllegalStateException("run " + run.id() + " could not be written as JSON", e);
        }
    }

    public static RunRecord read(byte[] json, String source) {
        try {
            JsonNode n = MAPPER.readTree(json);
            int format = n.path("format").asInt(-1);
            if (format != RunRecord.FORMAT) {
                throw new InvalidInputException("run record " + source + " has format " + n.path("format")
                        + " but this version of Ferry reads format " + RunRecord.FORMAT);
            }
            return MAPPER.treeToValue(n, RunRecord.class);
        } catch (IOException e) {
            throw new InvalidInputException("run record " + source + " could not be read: " + e.getMessage(), e);
        }
    }
}
