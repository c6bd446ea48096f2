package dev.parley.imnode.connection;

import java.nio.charset.StandardCharsets;

/**
 * A text frame for clients, encoded for the wire at most once however many connections it goes to:
 * a push to a room of 10,000 is one {@code OutboundFrame} queued on 10,000 connections. The wire
 * form (an unmasked, final WebSocket text frame: header and UTF-8 payload, RFC 6455 section 5.2) is
 * made on first use and then shared; writers only read it.
 */
public final class OutboundFrame {

  private static final int OPCODE_TEXT_FINAL = 0x81;

  private final String text;
  private volatile byte[] wire;

  private OutboundFrame(String text) {
    this.text = text;
  }

  public static OutboundFrame of(String text) {
    return new OutboundFrame(text);
  }

  /** The frame's payload, as the client reads it. */
  public String text() {
    return text;
  }

  /** The whole frame as it goes on the wire; the array is shared and must not be changed. */
  byte[] wire() {
    byte[] w = wire;
    if (w == null) {
      // Racing threads encode the same bytes; either copy is right.
      w = encode(text);
      wire = w;
    }
    return w;
  }

  static byte[] encode(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    int n = payload.length;
    int header = n <= 125 ? 2 : n <= 0xFFFF ? 4 : 10;
    byte[] frame = new byte[header + n];
    frame[0] = (byte) OPCODE_TEXT_FINAL;
    if (n <= 125) {
      frame[1] = (byte) n;
    } else if (n <= 0xFFFF) {
      frame[1] = 126;
      frame[2] = (byte) (n >>> 8);
      frame[3] = (byte) n;
    } else {
      frame[1] = 127;
      long len = n;
      for (int i = 0; i < 8; i++) {
        frame[2 + i] = (byte) (len >>> (56 - 8 * i));
      }
    }
    System.arraycopy(payload, 0, frame, header, n);
    return frame;
  }
}
