// Package translate turns a French article into English through an
// OpenAI-compatible model, chunk by chunk, and checks every answer before
// accepting it.
//
// An article is cut into chunks by a token budget derived from the model's
// context (paragraph boundaries first, then sentence boundaries; never
// inside a sentence). Each chunk goes with the article's title and the
// glossary entries found in it, fenced as untrusted data. Answers are
// stripped of chatter (<think> blocks, preambles, sign-offs, fences) and
// validated: paragraph count, French left, length ratio, numbers; a failed
// check is a named warning and a retry with a corrective instruction, and
// after Options.MaxAttempts a per-file error naming the reason. An answer
// cut by max_tokens or a prompt over the context splits the chunk instead.
// Accepted chunks are cached, so a killed run resumes mid-article.
package translate

// DefaultContextTokens is the context assumed when none is configured: safe
// for a small local model.
const DefaultContextTokens = 4096
