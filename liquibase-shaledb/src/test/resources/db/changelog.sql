--liquibase formatted sql

--changeset shaledb:1
CREATE TABLE person (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, born DATETIME);
INSERT INTO person (id, name) VALUES (1, 'Ada');
--rollback DROP TABLE person;

--changeset shaledb:2
CREATE TABLE address (id SERIAL PRIMARY KEY, person_id INT NOT NULL, city VARCHAR(100));
ALTER TABLE address ADD CONSTRAINT fk_address_person FOREIGN KEY (person_id) REFERENCES person (id);
--rollback DROP TABLE address;
