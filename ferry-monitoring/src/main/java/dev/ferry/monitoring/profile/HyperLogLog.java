package dev.ferry.monitoring.profile;

import dev.ferry.InvalidInputException;

/**
 * A HyperLogLog distinct-count sketch (Flajolet et al. 2007, with linear counting for small
 * cardinalities) over 2^12 one-byte registers: 4 KiB, a relative standard error of about
 * 1.04/sqrt(4096) = 1.6%, merged by taking the larger register. Apache DataSketches' HLL would
 * be the library of choice, but its 6.x line refuses to start on JDK 25 (datasketches-memory
 * checks the JDK version) and 7.x needs {@code jdk.incubator.foreign}, which JDK 25 no longer
 * has; this sketch is small enough to own and is tested against exact counts.
 */
final class HyperLogLog {

    static final int P = 12;
    static final int M = 1 << P;
    private static final double ALPHA = 0.7213 / (1 + 1.079 / M);

    private final byte[] registers;

    HyperLogLog() {
        this.registers = new byte[M];
    }

    private HyperLogLog(byte[] registers) {
        this.registers = registers;
    }

    static HyperLogLog fromBytes(String feature, byte[] bytes) {
        if (bytes.length != M) {
            throw new InvalidInputException("profile of feature '" + feature + "': distinct sketch had " + bytes.length
                    + " bytes but it must have " + M + " (HyperLogLog with 2^" + P + " registers)");
        }
        return new HyperLogLog(bytes.clone());
    }

    byte[] toBytes() {
        return registers.clone();
    }

    HyperLogLog copy() {
        return new HyperLogLog(registers.clone());
    }

    void addHash(long hash) {
        int index = (int) (hash >>> (64 - P));
        int rank = Long.numberOfLeadingZeros((hash << P) | (1L << (P - 1))) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
    }

    void merge(HyperLogLog other) {
        for (int i = 0; i < M; i++) {
            if (other.registers[i] > registers[i]) {
                registers[i] = other.registers[i];
            }
        }
    }

    long estimate() {
        double sum = 0;
        int zeros = 0;
        for (byte r : registers) {
            sum += 1.0 / (1L << r);
            if (r == 0) {
                zeros++;
            }
        }
        double raw = ALPHA * M * M / sum;
        if (raw <= 2.5 * M && zeros > 0) {
            return Math.round(M * Math.log((double) M / zeros));
        }
        return Math.round(raw);
    }

    /** A 64-bit hash of a number's value: 1, 1L and 1.0 hash alike. */
    static long hash(double value) {
        double v = value == 0.0 ? 0.0 : value;
        return mix(Double.doubleToLongBits(v));
    }

    /** A 64-bit hash of a string (FNV-1a over UTF-16 units, then a finalizing mix). */
    static long hash(String value) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            h ^= value.charAt(i);
            h *= 0x100000001b3L;
        }
        return mix(h ^ value.length());
    }

    /** MurmurHash3's 64-bit finalizer: spreads every input bit over the whole word. */
    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
