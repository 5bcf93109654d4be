-- Tables as an application's first migration creates them; the foreign key comes after both tables.
CREATE TABLE author (
    id BIGSERIAL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE book (
    id BIGSERIAL PRIMARY KEY,
    author_id INT8 NOT NULL,
    title VARCHAR(200) NOT NULL
);

ALTER TABLE book ADD CONSTRAINT fk_book_author FOREIGN KEY (author_id) REFERENCES author (id);
