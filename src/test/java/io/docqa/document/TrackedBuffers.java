package io.docqa.document;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/** Reference-counted buffers, as the server hands them over, that remember whether they were released. */
final class TrackedBuffers {

    private final NettyDataBufferFactory factory = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);
    private final List<NettyDataBuffer> made = new ArrayList<>();

    DataBuffer of(byte[] bytes) {
        NettyDataBuffer buffer = factory.wrap(Unpooled.buffer(bytes.length + 1).writeBytes(bytes));
        synchronized (made) {
            made.add(buffer);
        }
        return buffer;
    }

    DataBuffer of(byte[] bytes, int from, int to) {
        return of(java.util.Arrays.copyOfRange(bytes, from, to));
    }

    List<DataBuffer> split(byte[] bytes, int... cuts) {
        List<DataBuffer> buffers = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            buffers.add(of(bytes, from, cut));
            from = cut;
        }
        buffers.add(of(bytes, from, bytes.length));
        return buffers;
    }

    List<DataBuffer> eachByte(byte[] bytes) {
        List<DataBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            buffers.add(of(bytes, i, i + 1));
        }
        return buffers;
    }

    int made() {
        synchronized (made) {
            return made.size();
        }
    }

    long unreleased() {
        synchronized (made) {
            return made.stream().filter(buffer -> buffer.getNativeBuffer().refCnt() > 0).count();
        }
    }
}
