package dev.ferry.monitoring.outcome;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.UnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the prediction log back: the JSON Lines files of {@code RollingFilePredictionLog} and the
 * Parquet files of {@code ParquetPredictionLog} (through DuckDB's {@code read_parquet}), from one
 * file or every {@code predictions-*} file of a directory. A record of another format version is
 * refused with the file, line and both versions. Hidden files (a Parquet file being written) are
 * skipped.
 */
public final class PredictionLogReader {

    /** The one layout version this reader understands ({@code PredictionRecord.FORMAT_VERSION}). */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private PredictionLogReader() {
    }

    /**
     * The served predictions in {@code path}, shadow ones left out: what callers saw, with the
     * features as served (a shadow repeats its request's features).
     */
    public static List<LoggedPrediction> served(Path path) {
        return read(path).stream().filter(p -> !p.shadow()).toList();
    }

    /** Every prediction in {@code path} (a log file or a directory of them), in file order. */
    public static List<LoggedPrediction> read(Path path) {
        if (!Files.exists(path)) {
            throw new NotFoundException("prediction log " + path + " does not exist");
        }
        List<LoggedPrediction> out = new ArrayList<>();
        for (Path f : files(path)) {
            String name = f.getFileName().toString();
            if (name.endsWith(".jsonl")) {
                readJsonLines(f, out);
            } else if (name.endsWith(".parquet")) {
                readParquet(f, out);
            }
        }
        return out;
    }

    private static List<Path> files(Path path) {
        if (!Files.isDirectory(path)) {
            String name = path.getFileName().toString();
            if (!name.endsWith(".jsonl") && !name.endsWith(".parquet")) {
                throw new InvalidInputException("prediction log file was " + path + " but a .jsonl or .parquet file is expected");
            }
            return List.of(path);
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> p.getFileName().toString().endsWith(".jsonl") || p.getFileName().toString().endsWith(".parquet"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UnavailableException("prediction log directory " + path + " cannot be listed: " + e.getMessage(), e);
        }
    }

    private static void readJsonLines(Path f, List<LoggedPrediction> out) {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            int cut = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                if (cut > 0) {
                    throw new InvalidInputException("prediction log " + f + " line " + cut + " is not a JSON object but more lines"
                            + " follow it; only the last line of a log being written may be incomplete");
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    // the last line of a log still being written may be cut short: skipped if nothing follows
                    cut = n;
                    continue;
                }
                int format = node.path("format").asInt(-1);
                checkFormat(format, f + " line " + n);
                out.add(new LoggedPrediction(node.path("request_id").asText(), Instant.parse(node.path("at").asText()),
                        node.path("deployment").asText(), node.path("arm").asText(), node.path("model").asText(""),
                        node.path("version").asInt(0), node.path("shadow").asBoolean(false),
                        map(node.get("entity")), map(node.get("features")), map(node.get("output"))));
            }
        } catch (IOException e) {
            throw new UnavailableException("prediction log " + f + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void checkFormat(int format, String where) {
        if (format != FORMAT_VERSION) {
            throw new InvalidInputException("prediction log " + where + ": format was " + format + " but only version "
                    + FORMAT_VERSION + " is understood");
        }
    }

    private static Map<String, Object> map(JsonNode node) {
        return node == null || node.isNull() ? Map.of() : JSON.convertValue(node, MAP);
    }

    private static Map<String, Object> map(String json) throws JsonProcessingException {
        return json == null ? Map.of() : JSON.readValue(json, MAP);
    }

    private static void readParquet(Path f, List<LoggedPrediction> out) {
        String sql = "SELECT format, request_id, \"at\", deployment, arm, model, version, shadow, entity, features, output"
                + " FROM read_parquet(?) ORDER BY \"at\"";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, f.toString());
            try (ResultSet rs = ps.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    checkFormat(rs.getInt(1), f + " row " + n);
                    Instant at = rs.getObject(3, java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC);
                    out.add(new LoggedPrediction(rs.getString(2), at, rs.getString(4), rs.getString(5),
                            rs.getString(6) == null ? "" : rs.getString(6), rs.getInt(7), rs.getBoolean(8),
                            map(rs.getString(9)), map(rs.getString(10)), map(rs.getString(11))));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new UnavailableException("Parquet prediction log " + f + " cannot be read: " + e.getMessage(), e);
        }
    }
}
