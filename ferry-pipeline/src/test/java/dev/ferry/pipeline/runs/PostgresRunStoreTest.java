package dev.ferry.pipeline.runs;

import dev.ferry.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The run store contract against a real PostgreSQL (a {@code FERRY_TEST_POSTGRES_URL} server or an embedded one). */
class PostgresRunStoreTest extends RunStoreContract {

    private PostgresServer.Database db;

    private PostgresServer.Database db() {
        if (db == null) {
            db = PostgresServer.shared().newDatabase();
        }
        return db;
    }

    @Override
    protected RunStore open() {
        return PostgresRunStore.open(db().jdbcUrl(), db().user(), db().password());
    }

    @Override
    protected void writeForeignFormat(String id) {
        try (Connection c = db().connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ferry_runs (id, started_at, pipeline, status, record) VALUES (?, now(), 'p', 'SUCCEEDED', ?)")) {
            ps.setString(1, id);
            ps.setString(2, "{\"format\": 99, \"id\": \"" + id + "\"}");
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
