package dev.ferry.monitoring.profile;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Reads a Parquet or CSV file ({@code .parquet}, {@code .csv}, {@code .csv.gz}, {@code .tsv})
 * through an in-memory DuckDB, streaming its rows to a reader; a missing file, another ending or
 * an unreadable file is refused naming {@code what} the file is for.
 */
public final class DuckFiles {

    /** Consumes the rows of the file. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private DuckFiles() {
    }

    public static <T> T read(Path file, String what, RowReader<T> reader) {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException(what + " " + file + " does not exist");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String function;
        if (name.endsWith(".parquet")) {
            function = "read_parquet";
        } else if (name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".tsv")) {
            function = "read_csv";
        } else {
            throw new InvalidInputException(what + " was '" + file + "' but it must end in .parquet, .csv, .csv.gz or .tsv");
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             PreparedStatement ps = c.prepareStatement("SELECT * FROM " + function + "(?)")) {
            ps.setString(1, file.toAbsolutePath().toString());
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new InvalidInputException(what + " " + file + " could not be read as " + function + ": " + e.getMessage(), e);
        }
    }
}
