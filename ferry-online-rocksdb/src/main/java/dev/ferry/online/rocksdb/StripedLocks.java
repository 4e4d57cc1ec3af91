package dev.ferry.online.rocksdb;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks; a key maps to one by hash. Taking every stripe a batch needs in ascending
 * order means two batches never wait on each other in a cycle.
 */
final class StripedLocks {

    private final ReentrantLock[] locks;

    StripedLocks(int stripes) {
        locks = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    int stripe(byte[] key) {
        return Math.floorMod(Arrays.hashCode(key), locks.length);
    }

    /** Locks the stripes of all keys in ascending order; returns them for {@link #unlockAll}. */
    int[] lockAll(List<byte[]> keys) {
        int[] stripes = keys.stream().mapToInt(this::stripe).sorted().distinct().toArray();
        int locked = 0;
        try {
            for (int s : stripes) {
                locks[s].lock();
                locked++;
            }
        } catch (RuntimeException | Error e) {
            for (int i = locked - 1; i >= 0; i--) {
                locks[stripes[i]].unlock();
            }
            throw e;
        }
        return stripes;
    }

    void unlockAll(int[] stripes) {
        for (int i = stripes.length - 1; i >= 0; i--) {
            locks[stripes[i]].unlock();
        }
    }
}
