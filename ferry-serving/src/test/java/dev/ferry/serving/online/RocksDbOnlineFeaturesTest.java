package dev.ferry.serving.online;

import dev.ferry.online.OnlineStore;
import dev.ferry.online.rocksdb.RocksDbOnlineStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class RocksDbOnlineFeaturesTest extends OnlineFeaturesContract {

    @TempDir
    Path dir;

    @Override
    protected OnlineStore newStore() {
        return RocksDbOnlineStore.open(dir.resolve("online"), CLOCK);
    }
}
