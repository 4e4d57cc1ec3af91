package dev.ferry.online;

class InMemoryOnlineStoreTest extends OnlineStoreContract {

    @Override
    protected OnlineStore newStore(MutableClock clock) {
        return new InMemoryOnlineStore(clock);
    }
}
