-- The replicas profile's Postgres (docker-compose.yml): one database per service, as each owns its data.
CREATE DATABASE warehouse;
CREATE DATABASE store;
