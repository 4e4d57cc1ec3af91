package dev.ferry.monitoring.skew;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.UnavailableException;
import dev.ferry.monitoring.profile.DatasetProfile;
import dev.ferry.monitoring.profile.ProfileAccumulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a prediction log as Ferry's sinks write it: JSON Lines files ({@code .jsonl}, one
 * {@code PredictionRecordJson} object per line) or Parquet files ({@code .parquet}, the
 * {@code ParquetPredictionLog} layout), given as one file or a directory of them. Shadow
 * predictions are left out (they repeat a served request's features). A record of an unknown
 * {@code format} is refused with its file and line.
 */
public final class PredictionLogReader {

    /** The record layout version this reader knows (the sinks' {@code FORMAT_VERSION}). */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private PredictionLogReader() {
    }

    public static List<LoggedPrediction> read(Path fileOrDir) {
        List<Path> files;
        if (Files.isDirectory(fileOrDir)) {
            try (Stream<Path> s = Files.list(fileOrDir)) {
                files = s.filter(p -> !p.getFileName().toString().startsWith("."))
                        .filter(p -> p.toString().endsWith(".jsonl") || p.toString().endsWith(".parquet")).sorted().toList();
            } catch (IOException e) {
                throw new UnavailableException("prediction log directory " + fileOrDir + " could not be listed: " + e.getMessage(), e);
            }
        } else if (Files.isRegularFile(fileOrDir)) {
            files = List.of(fileOrDir);
        } else {
            throw new NotFoundException("prediction log " + fileOrDir + " does not exist");
        }
        List<LoggedPrediction> out = new ArrayList<>();
        for (Path f : files) {
            if (f.toString().endsWith(".parquet")) {
                readParquet(f, out);
            } else if (f.toString().endsWith(".jsonl")) {
                readJsonLines(f, out);
            } else {
                throw new InvalidInputException("prediction log file was '" + f + "' but it must end in .jsonl or .parquet");
            }
        }
        return out;
    }

    /** The profile of the features as they were served, each typed by its first value (see {@link ProfileAccumulator#inferring()}). */
    public static DatasetProfile servedProfile(List<LoggedPrediction> predictions) {
        ProfileAccumulator acc = ProfileAccumulator.inferring();
        for (LoggedPrediction p : predictions) {
            acc.add(p.features());
        }
        return acc.snapshot();
    }

    private static void readJsonLines(Path file, List<LoggedPrediction> out) {
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + " line " + n;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    throw new InvalidInputException(where + " is not JSON: " + e.getMessage());
                }
                checkFormat(node.path("format").asInt(-1), where);
                if (node.path("shadow").asBoolean(false)) {
                    continue;
                }
                out.add(new LoggedPrediction(node.path("request_id").asText(), parseInstant(node.path("at").asText(), where),
                        JSON.convertValue(node.path("entity"), MAP), node.path("features").isNull() ? Map.of()
                        : JSON.convertValue(node.path("features"), MAP)));
            }
        } catch (IOException e) {
            throw new UnavailableException("prediction log " + file + " could not be read: " + e.getMessage(), e);
        }
    }

    private static void readParquet(Path file, List<LoggedPrediction> out) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             PreparedStatement ps = c.prepareStatement(
                     "SELECT format, request_id, \"at\", shadow, entity, features FROM read_parquet(?)")) {
            ps.setString(1, file.toAbsolutePath().toString());
            try (ResultSet rs = ps.executeQuery()) {
                long row = 0;
                while (rs.next()) {
                    row++;
                    String where = file + " row " + row;
                    checkFormat(rs.getInt(1), where);
                    if (rs.getBoolean(4)) {
                        continue;
                    }
                    LocalDateTime at = rs.getObject(3, LocalDateTime.class);
                    String features = rs.getString(6);
                    out.add(new LoggedPrediction(rs.getString(2),
                            at.toInstant(ZoneOffset.UTC),
                            JSON.readValue(rs.getString(5), MAP), features == null ? Map.of() : JSON.readValue(features, MAP)));
                }
            }
        } catch (SQLException | IOException e) {
            throw new InvalidInputException("prediction log " + file + " could not be read as a Ferry Parquet prediction log: " + e.getMessage(), e);
        }
    }

    private static void checkFormat(int format, String where) {
        if (format != FORMAT_VERSION) {
            throw new InvalidInputException(where + ": prediction record format was " + format + " but this Ferry reads format " + FORMAT_VERSION);
        }
    }

    private static Instant parseInstant(String text, String where) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            throw new InvalidInputException(where + ": at was '" + text + "' but it must be an ISO-8601 instant");
        }
    }
}
