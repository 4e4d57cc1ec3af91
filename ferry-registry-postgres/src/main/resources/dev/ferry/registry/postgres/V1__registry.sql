-- Ferry model registry, schema version 1. Version records are RegistryJson documents
-- (formatVersion 1); the columns beside them are what queries and constraints need.
CREATE TABLE ferry_models (
    name        TEXT PRIMARY KEY,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE ferry_model_versions (
    name        TEXT NOT NULL REFERENCES ferry_models (name),
    version     INT  NOT NULL CHECK (version >= 1),
    sha256      CHAR(64) NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    record      TEXT NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE ferry_aliases (
    name        TEXT NOT NULL,
    alias       TEXT NOT NULL,
    version     INT  NOT NULL,
    PRIMARY KEY (name, alias),
    FOREIGN KEY (name, version) REFERENCES ferry_model_versions (name, version)
);

CREATE TABLE ferry_alias_events (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL REFERENCES ferry_models (name),
    alias         TEXT NOT NULL,
    from_version  INT,
    to_version    INT,
    actor         TEXT NOT NULL,
    at            TIMESTAMPTZ NOT NULL,
    reason        TEXT NOT NULL
);

CREATE INDEX ferry_alias_events_by_alias ON ferry_alias_events (name, alias, id);
