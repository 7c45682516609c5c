package io.pylon.mqtt.store;

import io.pylon.mqtt.message.RetainedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A broker store that keeps its state in memory only: for embedding and tests. */
public final class MemoryBrokerStore implements BrokerStore {

  private final Sessions sessions = new Sessions();
  private final Retained retained = new Retained();

  @Override
  public SessionStore sessions() {
    return sessions;
  }

  @Override
  public RetainedStore retained() {
    return retained;
  }

  @Override
  public void close() {}

  private static final class Sessions implements SessionStore {
    private final Map<String, StoredSession> byClientId = new ConcurrentHashMap<>();

    @Override
    public void save(StoredSession session) {
      byClientId.put(session.clientId(), session);
    }

    @Override
    public void remove(String clientId) {
      byClientId.remove(clientId);
    }

    @Override
    public List<StoredSession> loadAll() {
      return new ArrayList<>(byClientId.values());
    }
  }

  private static final class Retained implements RetainedStore {
    private final Map<String, RetainedMessage> byTopic = new ConcurrentHashMap<>();

    @Override
    public void put(RetainedMessage retained) {
      byTopic.put(retained.topic(), retained);
    }

    @Override
    public void remove(String topic) {
      byTopic.remove(topic);
    }

    @Override
    public List<RetainedMessage> loadAll() {
      return new ArrayList<>(byTopic.values());
    }
  }
}
