package io.pylon.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * The load tool's fast path for PUBLISH, the one packet it handles millions of times per run.
 * Netty's codec-mqtt still handles every other packet; this only avoids what a benchmark client
 * does not need per message: decoding and validating the topic string, a message object graph, and
 * a replaying decoder.
 *
 * <p>{@link FrameDecoder} sits in front of Netty's {@code MqttDecoder}: it cuts the stream into
 * whole MQTT packets, turns PUBLISH packets into {@link InboundPublish} (payload slice, QoS, packet
 * id) and hands every other packet on as one complete frame, so the replaying decoder behind it
 * never has to rewind.
 */
final class PublishCodec {

  /** Largest value of the variable byte integer in a fixed header [MQTT-1.5.5]. */
  static final int MAX_REMAINING_LENGTH = 268_435_455;

  private PublishCodec() {}

  /** A received PUBLISH. The receiver owns {@code payload} and must release it. */
  record InboundPublish(int qos, int packetId, ByteBuf payload) {}

  /**
   * One PUBLISH packet. {@code topic} is the UTF-8 topic name, encoded once per publisher rather
   * than per message; MQTT 5 packets carry an empty property section.
   */
  static ByteBuf encodePublish(
      ByteBufAllocator alloc, byte[] topic, int qos, int packetId, byte[] payload, boolean mqtt5) {
    int remaining = 2 + topic.length + (qos > 0 ? 2 : 0) + (mqtt5 ? 1 : 0) + payload.length;
    ByteBuf out = alloc.buffer(1 + varIntBytes(remaining) + remaining);
    out.writeByte(0x30 | qos << 1);
    writeVarInt(out, remaining);
    out.writeShort(topic.length);
    out.writeBytes(topic);
    if (qos > 0) {
      out.writeShort(packetId);
    }
    if (mqtt5) {
      out.writeByte(0);
    }
    out.writeBytes(payload);
    return out;
  }

  static int varIntBytes(int value) {
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }

  static void writeVarInt(ByteBuf out, int value) {
    int v = value;
    do {
      int digit = v & 0x7f;
      v >>>= 7;
      out.writeByte(v > 0 ? digit | 0x80 : digit);
    } while (v > 0);
  }

  /** Splits the inbound stream into packets; see the class comment. */
  static final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxRemainingLength;
    private final boolean mqtt5;

    FrameDecoder(int maxRemainingLength, boolean mqtt5) {
      this.maxRemainingLength = maxRemainingLength;
      this.mqtt5 = mqtt5;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      int start = in.readerIndex();
      int end = in.writerIndex();
      int pos = start + 1;
      int remaining = 0;
      int shift = 0;
      int digit;
      do {
        if (pos >= end) {
          return;
        }
        if (shift > 21) {
          throw corrupted(in, new CorruptedFrameException("remaining length longer than 4 bytes"));
        }
        digit = in.getUnsignedByte(pos++);
        remaining |= (digit & 0x7f) << shift;
        shift += 7;
      } while ((digit & 0x80) != 0);
      if (remaining > maxRemainingLength) {
        throw corrupted(
            in,
            new TooLongFrameException(
                "packet of " + remaining + " bytes exceeds " + maxRemainingLength));
      }
      int headerBytes = pos - start;
      if (end - start < headerBytes + remaining) {
        return;
      }
      int first = in.getUnsignedByte(start);
      if (first >> 4 != 3) {
        out.add(in.readRetainedSlice(headerBytes + remaining));
        return;
      }
      in.skipBytes(headerBytes);
      int packetEnd = in.readerIndex() + remaining;
      int qos = (first >> 1) & 3;
      if (qos == 3) {
        throw corrupted(in, new CorruptedFrameException("PUBLISH with QoS 3"));
      }
      int topicLength = readUnsignedShort(in, packetEnd);
      skip(in, topicLength, packetEnd);
      int packetId = qos > 0 ? readUnsignedShort(in, packetEnd) : 0;
      if (mqtt5) {
        skip(in, readVarInt(in, packetEnd), packetEnd);
      }
      out.add(
          new InboundPublish(qos, packetId, in.readRetainedSlice(packetEnd - in.readerIndex())));
    }

    /**
     * A stream that broke framing cannot be resynchronised: drop what is buffered, the connection
     * closes.
     */
    private static RuntimeException corrupted(ByteBuf in, RuntimeException e) {
      in.skipBytes(in.readableBytes());
      return e;
    }

    private static int readUnsignedShort(ByteBuf in, int limit) {
      if (in.readerIndex() + 2 > limit) {
        throw corrupted(in, new CorruptedFrameException("PUBLISH shorter than its header"));
      }
      return in.readUnsignedShort();
    }

    private static void skip(ByteBuf in, int n, int limit) {
      if (n < 0 || in.readerIndex() + n > limit) {
        throw corrupted(in, new CorruptedFrameException("PUBLISH field runs past the packet"));
      }
      in.skipBytes(n);
    }

    private static int readVarInt(ByteBuf in, int limit) {
      int value = 0;
      int shift = 0;
      int digit;
      do {
        if (in.readerIndex() >= limit || shift > 21) {
          throw corrupted(in, new CorruptedFrameException("bad property length in PUBLISH"));
        }
        digit = in.readUnsignedByte();
        value |= (digit & 0x7f) << shift;
        shift += 7;
      } while ((digit & 0x80) != 0);
      return value;
    }
  }
}
