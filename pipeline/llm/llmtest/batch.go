package llmtest

// The Files and Batches endpoints of the OpenAI Batch API: POST /v1/files,
// POST /v1/batches, GET /v1/batches/{id}, GET /v1/files/{id}/content. A
// batch moves validating → in_progress → completed over a few status polls;
// on completion every line's body goes through the server's own chat
// handler, so the Handler answers batched calls exactly as live ones. Those
// calls are recorded like live ones, with the header X-Llmtest-Batch set to
// the batch id (see Call.Batch), and their stage is read from the line's
// custom_id, "<stage>-<hash>", since a batch line carries no headers.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

const batchHeader = "X-Llmtest-Batch"

// Batch returns the id of the batch the call came in, "" for a live call.
func (c Call) Batch() string { return c.Header.Get(batchHeader) }

// BatchInfo is one batch the server was asked to create.
type BatchInfo struct {
	ID, InputFileID, Status string
	Lines                   int
	Polls                   int // GET /v1/batches/{id} so far
}

type batches struct {
	mu       sync.Mutex
	files    map[string][]byte
	fileN    int
	jobs     map[string]*job
	order    []string
	polls    int  // status polls before a batch completes
	validate bool // reject malformed input lines like OpenAI does
}

type job struct {
	BatchInfo
	output, errors string // file ids
	failed         int    // lines that did not get a 200
	created        int64
}

func newBatches() *batches {
	return &batches{files: map[string][]byte{}, jobs: map[string]*job{}, polls: 2, validate: true}
}

func (s *Server) batchRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /v1/files", s.uploadFile)
	mux.HandleFunc("GET /v1/files/{id}/content", s.fileContent)
	mux.HandleFunc("POST /v1/batches", s.createBatch)
	mux.HandleFunc("GET /v1/batches/{id}", s.getBatch)
}

// SetBatchPolls sets how many status polls a batch takes to complete
// (default 2: the first poll sees it in progress, the second completed).
func (s *Server) SetBatchPolls(n int) {
	s.batch.mu.Lock()
	s.batch.polls = n
	s.batch.mu.Unlock()
}

// Batches returns the batches created so far, in creation order.
func (s *Server) Batches() []BatchInfo {
	b := s.batch
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]BatchInfo, 0, len(b.order))
	for _, id := range b.order {
		out = append(out, b.jobs[id].BatchInfo)
	}
	return out
}

// File returns the content of an uploaded or generated file.
func (s *Server) File(id string) []byte {
	s.batch.mu.Lock()
	defer s.batch.mu.Unlock()
	return s.batch.files[id]
}

// LiveCount returns the number of chat calls that did not come in a batch.
func (s *Server) LiveCount() int {
	n := 0
	for _, c := range s.Calls() {
		if c.Batch() == "" {
			n++
		}
	}
	return n
}

func (s *Server) uploadFile(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(64 << 20); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody("llmtest: want a multipart form: "+err.Error(), "invalid_request_error"))
		return
	}
	if p := r.FormValue("purpose"); p != "batch" {
		writeJSON(w, http.StatusBadRequest, errorBody(fmt.Sprintf("llmtest: purpose %q, want batch", p), "invalid_request_error"))
		return
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody("llmtest: no file part: "+err.Error(), "invalid_request_error"))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody(err.Error(), "invalid_request_error"))
		return
	}
	id := s.batch.addFile(data)
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "object": "file", "bytes": len(data),
		"created_at": time.Now().Unix(), "filename": h.Filename, "purpose": "batch", "status": "processed"})
}

func (b *batches) addFile(data []byte) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fileN++
	id := fmt.Sprintf("file-llmtest-%d", b.fileN)
	b.files[id] = data
	return id
}

func (s *Server) fileContent(w http.ResponseWriter, r *http.Request) {
	data := s.File(r.PathValue("id"))
	if data == nil {
		writeJSON(w, http.StatusNotFound, errorBody("llmtest: no such file", "invalid_request_error"))
		return
	}
	w.Header().Set("Content-Type", "application/jsonl")
	_, _ = w.Write(data)
}

func (s *Server) createBatch(w http.ResponseWriter, r *http.Request) {
	var req struct {
		InputFileID      string `json:"input_file_id"`
		Endpoint         string `json:"endpoint"`
		CompletionWindow string `json:"completion_window"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody("llmtest: bad JSON body: "+err.Error(), "invalid_request_error"))
		return
	}
	if req.Endpoint != "/v1/chat/completions" || req.CompletionWindow != "24h" {
		writeJSON(w, http.StatusBadRequest, errorBody(fmt.Sprintf("llmtest: endpoint %q window %q, want /v1/chat/completions 24h", req.Endpoint, req.CompletionWindow), "invalid_request_error"))
		return
	}
	b := s.batch
	b.mu.Lock()
	defer b.mu.Unlock()
	data, ok := b.files[req.InputFileID]
	if !ok {
		writeJSON(w, http.StatusBadRequest, errorBody("llmtest: no such input file "+req.InputFileID, "invalid_request_error"))
		return
	}
	lines, err := inputLines(data)
	if err != nil && b.validate {
		writeJSON(w, http.StatusBadRequest, errorBody("llmtest: "+err.Error(), "invalid_request_error"))
		return
	}
	j := &job{BatchInfo: BatchInfo{ID: fmt.Sprintf("batch_llmtest_%d", len(b.order)+1), InputFileID: req.InputFileID,
		Status: "validating", Lines: len(lines)}, created: time.Now().Unix()}
	b.jobs[j.ID] = j
	b.order = append(b.order, j.ID)
	writeJSON(w, http.StatusOK, j.object())
}

func (s *Server) getBatch(w http.ResponseWriter, r *http.Request) {
	b := s.batch
	b.mu.Lock()
	j, ok := b.jobs[r.PathValue("id")]
	if !ok {
		b.mu.Unlock()
		writeJSON(w, http.StatusNotFound, errorBody("llmtest: no such batch", "invalid_request_error"))
		return
	}
	j.Polls++
	run := false
	switch {
	case j.Status == "completed":
	case j.Polls >= b.polls:
		j.Status, run = "in_progress", true // completed once the lines have run, below
	default:
		j.Status = "in_progress"
	}
	input := b.files[j.InputFileID]
	b.mu.Unlock()

	if run {
		out, errs := s.runBatch(j.ID, input)
		b.mu.Lock()
		j.Status = "completed"
		b.fileN++
		j.output = fmt.Sprintf("file-llmtest-%d", b.fileN)
		b.files[j.output] = out
		if len(errs) > 0 {
			b.fileN++
			j.errors = fmt.Sprintf("file-llmtest-%d", b.fileN)
			b.files[j.errors] = errs
			j.failed = bytes.Count(errs, []byte("\n"))
		}
		b.mu.Unlock()
	}
	b.mu.Lock()
	obj := j.object()
	b.mu.Unlock()
	writeJSON(w, http.StatusOK, obj)
}

// runBatch answers every line through the chat handler and returns the
// output file (status 200) and error file (everything else).
func (s *Server) runBatch(id string, input []byte) (out, errs []byte) {
	lines, _ := inputLines(input)
	var ob, eb bytes.Buffer
	for i, l := range lines {
		req := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", bytes.NewReader(l.Body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(batchHeader, id)
		if k := strings.LastIndexByte(l.CustomID, '-'); k > 0 {
			req.Header.Set("X-Depeche-Stage", l.CustomID[:k])
		}
		rec := httptest.NewRecorder()
		s.chat(rec, req)
		var body json.RawMessage = rec.Body.Bytes()
		if !json.Valid(body) {
			b, _ := json.Marshal(rec.Body.String())
			body = b
		}
		line, _ := json.Marshal(map[string]any{
			"id": fmt.Sprintf("batch_req_%s_%d", id, i+1), "custom_id": l.CustomID,
			"response": map[string]any{"status_code": rec.Code, "request_id": fmt.Sprintf("req_%d", i+1), "body": body},
			"error":    nil,
		})
		dst := &ob
		if rec.Code != http.StatusOK {
			dst = &eb
		}
		dst.Write(line)
		dst.WriteByte('\n')
	}
	return ob.Bytes(), eb.Bytes()
}

type inputLine struct {
	CustomID string          `json:"custom_id"`
	Method   string          `json:"method"`
	URL      string          `json:"url"`
	Body     json.RawMessage `json:"body"`
}

// inputLines parses a batch input file and checks each line as OpenAI does:
// custom_id present and unique, method POST, url the batch's endpoint, a
// JSON object body with a model.
func inputLines(data []byte) ([]inputLine, error) {
	var out []inputLine
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		n++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		var l inputLine
		if err := json.Unmarshal(raw, &l); err != nil {
			return out, fmt.Errorf("line %d: %v", n, err)
		}
		var body map[string]any
		switch {
		case l.CustomID == "":
			return out, fmt.Errorf("line %d: no custom_id", n)
		case seen[l.CustomID]:
			return out, fmt.Errorf("line %d: duplicate custom_id %s", n, l.CustomID)
		case l.Method != "POST" || l.URL != "/v1/chat/completions":
			return out, fmt.Errorf("line %d: method %q url %q", n, l.Method, l.URL)
		case json.Unmarshal(l.Body, &body) != nil || body["model"] == nil:
			return out, fmt.Errorf("line %d: body is not a chat request with a model", n)
		}
		seen[l.CustomID] = true
		out = append(out, l)
	}
	return out, sc.Err()
}

func (j *job) object() map[string]any {
	var out, errs any
	if j.output != "" {
		out = j.output
	}
	if j.errors != "" {
		errs = j.errors
	}
	done := 0
	if j.Status == "completed" {
		done = j.Lines - j.failed
	}
	return map[string]any{
		"id": j.ID, "object": "batch", "endpoint": "/v1/chat/completions", "input_file_id": j.InputFileID,
		"completion_window": "24h", "status": j.Status, "output_file_id": out, "error_file_id": errs,
		"created_at":     j.created,
		"request_counts": map[string]int{"total": j.Lines, "completed": done, "failed": j.failed},
	}
}
