package io.pylon.bench;

/**
 * How a publisher lays out its payload: a template of the configured size with the send time,
 * publisher index and sequence written into it before each send. {@link #BINARY} is the 16-byte
 * header of {@link Payload}; {@link RulePayload#FORMAT} carries the same three values inside a JSON
 * object, for servers that must read the payload (topic rules).
 */
interface PayloadFormat {

  PayloadFormat BINARY =
      new PayloadFormat() {
        @Override
        public byte[] template(int size) {
          return Payload.template(size);
        }

        @Override
        public void writeHeader(byte[] payload, long sentNanos, int publisher, int sequence) {
          Payload.writeHeader(payload, sentNanos, publisher, sequence);
        }
      };

  byte[] template(int size);

  void writeHeader(byte[] payload, long sentNanos, int publisher, int sequence);
}
