ALTER TABLE book ADD COLUMN isbn VARCHAR(20);
ALTER TABLE book ADD CONSTRAINT uk_book_isbn UNIQUE (isbn);

INSERT INTO author (name) VALUES ('Ursula K. Le Guin');
INSERT INTO book (author_id, title, isbn) VALUES (1, 'The Dispossessed', '978-0060512750');
