package dev.ferry.monitoring.outcome;

import dev.ferry.InvalidInputException;
import dev.ferry.NotFoundException;
import dev.ferry.UnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Outcomes from a CSV file (with a header; every value read as text so that one bad label is a
 * rejected row, not a failed file) or a Parquet file (typed columns), read through DuckDB in
 * batches. Positions are {@code <file> row <n>}, counting data rows from 1.
 */
public final class FileOutcomeSource implements OutcomeSource {

    private final Path file;
    private final Connection db;
    private final ResultSet rows;
    private final String[] columns;
    private long row;

    public FileOutcomeSource(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("outcome file " + file + " does not exist");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String reader;
        if (name.endsWith(".csv")) {
            reader = "read_csv(?, header = true, all_varchar = true)";
        } else if (name.endsWith(".parquet")) {
            reader = "read_parquet(?)";
        } else {
            throw new InvalidInputException("outcome file was " + file + " but a .csv or .parquet file is expected");
        }
        this.file = file;
        try {
            this.db = DriverManager.getConnection("jdbc:duckdb:");
            PreparedStatement ps = db.prepareStatement("SELECT * FROM " + reader);
            ps.setString(1, file.toString());
            this.rows = ps.executeQuery();
            ResultSetMetaData md = rows.getMetaData();
            this.columns = new String[md.getColumnCount()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = md.getColumnLabel(i + 1);
            }
        } catch (SQLException e) {
            throw new InvalidInputException("outcome file " + file + " cannot be read as " + reader.substring(0, reader.indexOf('('))
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<SourceRow> next(int max) {
        List<SourceRow> out = new ArrayList<>();
        try {
            while (out.size() < max && rows.next()) {
                row++;
                Map<String, Object> values = new LinkedHashMap<>();
                for (int i = 0; i < columns.length; i++) {
                    values.put(columns[i], rows.getObject(i + 1));
                }
                out.add(SourceRow.of(file.getFileName() + " row " + row, values));
            }
        } catch (SQLException e) {
            throw new UnavailableException("outcome file " + file + " failed at row " + row + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new UnavailableException("closing DuckDB for " + file + " failed: " + e.getMessage(), e);
        }
    }
}
