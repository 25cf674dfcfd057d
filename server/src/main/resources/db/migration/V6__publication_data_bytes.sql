-- Publication data as bytes (issue 10): JSON clients publish JSON text, Protobuf clients (issue 11) arbitrary
-- bytes. data keeps the exact bytes the publisher sent; data_json says whether they are JSON text in UTF-8.
-- Existing rows are JSON text: convert_to turns each into its UTF-8 bytes, byte for byte what was published.
-- The type change rewrites the table (an exclusive lock for the time it takes), once.
ALTER TABLE publications
  ALTER COLUMN data TYPE bytea USING convert_to(data, 'UTF8'),
  ADD COLUMN data_json boolean NOT NULL DEFAULT true;
