package dev.ferry.online;

import dev.ferry.testing.MutableClock;

class InMemoryOnlineStoreTest extends OnlineStoreContract {

    @Override
    protected OnlineStore newStore(MutableClock clock) {
        return new InMemoryOnlineStore(clock);
    }
}
