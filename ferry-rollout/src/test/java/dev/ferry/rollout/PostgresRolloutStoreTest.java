package dev.ferry.rollout;

import dev.ferry.testkit.PostgresServer;

class PostgresRolloutStoreTest extends RolloutStoreContract {

    private PostgresServer.Database db;

    @Override
    RolloutStore open() {
        if (db == null) {
            db = PostgresServer.shared().newDatabase();
        }
        return PostgresRolloutStore.open(db.jdbcUrl(), db.user(), db.password());
    }
}
