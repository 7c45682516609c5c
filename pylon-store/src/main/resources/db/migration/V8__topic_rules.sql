-- Topic rules and topic rule destinations (io.pylon.domain.rules).
--
-- actions       the rule's actions as a JSON array of AWS Action objects, compact text
-- error_action  one Action object as JSON text, NULL when the rule has none
-- topic_pattern the FROM clause's topic filter, NULL when the statement has none; ListTopicRules
--               filters on it
-- Dates are epoch milliseconds. The rule payload is at most 256 KB, so TEXT columns suffice.
CREATE TABLE topic_rule (
    rule_name     VARCHAR(128)  NOT NULL,
    rule_arn      VARCHAR(2048) NOT NULL,
    sql_text      TEXT          NOT NULL,
    description   TEXT,
    topic_pattern TEXT,
    created_ms    BIGINT        NOT NULL,
    actions       TEXT          NOT NULL,
    error_action  TEXT,
    rule_disabled BOOLEAN       NOT NULL,
    sql_version   VARCHAR(16)   NOT NULL,
    CONSTRAINT topic_rule_pk PRIMARY KEY (rule_name)
);

-- status              ENABLED, IN_PROGRESS, DISABLED or ERROR
-- confirmation_token  the outstanding token, NULL once used; token_issued_ms when it was sent
-- A confirmation URL has one destination, so that rules find "the" destination of a URL.
CREATE TABLE topic_rule_destination (
    arn                 VARCHAR(2048) NOT NULL,
    status              VARCHAR(16)   NOT NULL,
    status_reason       TEXT          NOT NULL,
    created_ms          BIGINT        NOT NULL,
    updated_ms          BIGINT        NOT NULL,
    confirmation_url    VARCHAR(2000) NOT NULL,
    confirmation_token  VARCHAR(128),
    token_issued_ms     BIGINT,
    CONSTRAINT topic_rule_destination_pk PRIMARY KEY (arn),
    CONSTRAINT topic_rule_destination_url_uq UNIQUE (confirmation_url),
    CONSTRAINT topic_rule_destination_token_uq UNIQUE (confirmation_token)
);
