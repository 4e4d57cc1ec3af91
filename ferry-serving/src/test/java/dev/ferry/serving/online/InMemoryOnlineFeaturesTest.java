package dev.ferry.serving.online;

import dev.ferry.online.InMemoryOnlineStore;
import dev.ferry.online.OnlineStore;

class InMemoryOnlineFeaturesTest extends OnlineFeaturesContract {
    @Override
    protected OnlineStore newStore() {
        return new InMemoryOnlineStore(CLOCK);
    }
}
