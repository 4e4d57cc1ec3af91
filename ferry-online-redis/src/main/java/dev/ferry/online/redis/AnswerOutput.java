package dev.ferry.online.redis;

import dev.ferry.online.EntityFeatures;
import dev.ferry.online.EntityKey;
import dev.ferry.online.EntityMerge;
import dev.ferry.online.ValueCodec;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;

/**
 * Decodes the replies of one read straight into answers, on Lettuce's I/O thread as each reply is
 * parsed: no byte[] per entity, no key-value pair per reply, and the reading thread finds its
 * answers ready when the command completes. One instance serves one MGET (its replies fill the
 * answer in order) or, on a cluster, one GET each ({@link #forSlot}), all writing into one shared
 * array of answers.
 *
 * <p>A reply that cannot be decoded (corrupt bytes, another codec version) must not throw on the
 * I/O thread, where it would fail the connection rather than the read: the first such failure is
 * kept and rethrown to the reader by {@link Answers#get()}.
 */
final class AnswerOutput extends CommandOutput<byte[], byte[], Void> {

    // Released once the read is over: Lettuce keeps a completed command (and so its output) until
    // its timeout task is cleared, and a read's answers must not live on, to be copied by every
    // young collection, for as long.
    private volatile Answers answers;
    private int next;
    private final int last;
    // The reply's bytes are copied here to be decoded; answers keep no reference to it, so an MGET's
    // replies share one buffer. (A cluster GET has one reply: it gets an array of just its size.)
    private byte[] scratch = EMPTY;
    private static final byte[] EMPTY = {};

    private AnswerOutput(Answers answers, int first, int last) {
        super(ByteArrayCodec.INSTANCE, null);
        this.answers = answers;
        this.next = first;
        this.last = last;
    }

    /** The output of an MGET of all the read's keys, in order. */
    static AnswerOutput forAll(Answers answers) {
        return new AnswerOutput(answers, 0, answers.size());
    }

    /** The output of a GET of the read's {@code slot}-th key. */
    static AnswerOutput forSlot(Answers answers, int slot) {
        return new AnswerOutput(answers, slot, slot + 1);
    }

    @Override
    public void set(ByteBuffer bytes) {
        Answers answers = this.answers;
        if (answers == null) {
            return; // a reply after the read gave up (timed out): nobody is waiting for it
        }
        if (next >= last) {
            answers.fail(new IllegalStateException("Redis answered more than the " + answers.size() + " keys read"));
            return;
        }
        int i = next++;
        if (bytes == null) {
            answers.decode(i, null, 0);
            return;
        }
        int length = bytes.remaining();
        byte[] buffer = scratch; // one read of the field: release() may clear it meanwhile
        if (buffer.length < length) {
            buffer = new byte[last - i > 1 ? Math.max(length, Math.min(buffer.length * 2, 1 << 20)) : length];
            scratch = buffer;
        }
        bytes.get(buffer, 0, length);
        answers.decode(i, buffer, length);
    }

    /** Lets go of the read's answers and buffer; replies that still arrive are dropped. */
    void release() {
        answers = null;
        scratch = EMPTY;
    }

    /** The answers of one read of many keys, and where each key's answer comes from. */
    static final class Answers {

        private final EntityKey[] keys;
        private final ValueCodec.Wanted[] wanted;
        private final Duration[] maxAge;
        private final Instant now;
        private final EntityFeatures[] out;
        private volatile RuntimeException failure;

        Answers(EntityKey[] keys, ValueCodec.Wanted[] wanted, Duration[] maxAge, Instant now) {
            this.keys = keys;
            this.wanted = wanted;
            this.maxAge = maxAge;
            this.now = now;
            this.out = new EntityFeatures[keys.length];
        }

        int size() {
            return keys.length;
        }

        // Called on an I/O thread; the reader sees out[i] through the command's completion.
        void decode(int i, byte[] entity, int length) {
            try {
                out[i] = EntityMerge.answer(keys[i], entity, length, wanted[i], now, maxAge[i]);
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        synchronized void fail(RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }

        /** The answers in key order, once every command completed; the first decoding failure if any. */
        EntityFeatures[] get() {
            if (failure != null) {
                throw failure;
            }
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null) {
                    throw new IllegalStateException("Redis gave no reply for key " + i + " of " + out.length);
                }
            }
            return out;
        }
    }
}
