package dev.ferry.pipeline.runs;

import dev.ferry.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Run records in PostgreSQL, beside a PostgreSQL model registry, so every server and CI job that
 * shares the registry sees the same runs. One row per run in {@code ferry_runs}, the record as
 * JSON text; a save is one upsert, so a reader sees the previous or the new record, never half.
 */
public final class PostgresRunStore implements RunStore {

    private final String url;
    private final String user;
    private final String password;

    private PostgresRunStore(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Connects and creates the table if it is not there. */
    public static PostgresRunStore open(String jdbcUrl, String user, String password) {
        PostgresRunStore s = new PostgresRunStore(jdbcUrl, user, password);
        try (Connection c = s.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS ferry_runs (id TEXT PRIMARY KEY, started_at TIMESTAMPTZ NOT NULL,"
                    + " pipeline TEXT NOT NULL, status TEXT NOT NULL, record TEXT NOT NULL)");
        } catch (SQLException e) {
            throw new UnavailableException("the run store at " + jdbcUrl + " could not be prepared: " + e.getMessage(), e);
        }
        return s;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password == null ? "" : password);
    }

    @Override
    public void save(RunRecord run) {
        RunIds.check(run.id());
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ferry_runs (id, started_at, pipeline, status, record) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, record = EXCLUDED.record")) {
            ps.setString(1, run.id());
            ps.setTimestamp(2, Timestamp.from(run.startedAt()));
            ps.setString(3, run.pipeline());
            ps.setString(4, run.status().name());
            ps.setString(5, new String(RunJson.write(run), StandardCharsets.UTF_8));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new UnavailableException("run " + run.id() + " could not be saved to " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<RunRecord> find(String id) {
        RunIds.check(id);
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT record FROM ferry_runs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(RunJson.read(rs.getString(1).getBytes(StandardCharsets.UTF_8), "ferry_runs/" + id))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new UnavailableException("run " + id + " could not be read from " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<RunRecord> list() {
        List<RunRecord> out = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, record FROM ferry_runs ORDER BY started_at DESC, id DESC")) {
            while (rs.next()) {
                out.add(RunJson.read(rs.getString(2).getBytes(StandardCharsets.UTF_8), "ferry_runs/" + rs.getString(1)));
            }
        } catch (SQLException e) {
            throw new UnavailableException("runs could not be listed from " + url + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() {
        // a connection per call: nothing held open
    }
}
