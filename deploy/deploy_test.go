// Package deploy holds no code: its tests check the files of this folder
// (the Kubernetes Jobs, the Slurm scripts) and the Dockerfile they run, so
// that an example a user copies is one that works: it parses, names real
// settings, and its shards add up.
package deploy

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/depeche-news/depeche/pipeline/config"
)

// job is what the tests read of a Kubernetes Job.
type job struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Completions    int    `yaml:"completions"`
		Parallelism    int    `yaml:"parallelism"`
		CompletionMode string `yaml:"completionMode"`
		Template       struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Name    string   `yaml:"name"`
					Image   string   `yaml:"image"`
					Command []string `yaml:"command"`
					Args    []string `yaml:"args"`
					Env     []struct {
						Name  string `yaml:"name"`
						Value string `yaml:"value"`
					} `yaml:"env"`
					VolumeMounts []struct {
						Name      string `yaml:"name"`
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
				} `yaml:"containers"`
				Volumes []struct {
					Name string `yaml:"name"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

var shardRe = regexp.MustCompile(`--shard\s+"?\$\{?(\w+)\}?/\$?\{?(\w+)\}?"?`)

func TestKubernetesJobs(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("kubernetes", "*.yaml"))
	if err != nil || len(paths) < 2 {
		t.Fatalf("kubernetes/*.yaml: %v (%d files)", err, len(paths))
	}
	sharded := 0
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var j job
			if err := decodeLoose(raw, &j); err != nil {
				t.Fatalf("not YAML: %v", err)
			}
			if j.APIVersion != "batch/v1" || j.Kind != "Job" || j.Metadata.Name == "" {
				t.Fatalf("apiVersion %q, kind %q, name %q: want a batch/v1 Job with a name", j.APIVersion, j.Kind, j.Metadata.Name)
			}
			ps := j.Spec.Template.Spec
			if ps.RestartPolicy != "OnFailure" && ps.RestartPolicy != "Never" {
				t.Errorf("restartPolicy %q: a Job's pods must be OnFailure or Never", ps.RestartPolicy)
			}
			if len(ps.Containers) != 1 || ps.Containers[0].Image == "" || ps.Containers[0].Name == "" {
				t.Fatalf("want one named container with an image: %+v", ps.Containers)
			}
			c := ps.Containers[0]
			cmd := strings.Join(append(append([]string(nil), c.Command...), c.Args...), " ")
			if !strings.Contains(cmd, "depeche ") {
				t.Errorf("the container does not run depeche: %q", cmd)
			}
			for _, m := range c.VolumeMounts {
				if !slices.ContainsFunc(ps.Volumes, func(v struct {
					Name string `yaml:"name"`
				}) bool {
					return v.Name == m.Name
				}) {
					t.Errorf("volume mount %q has no volume", m.Name)
				}
			}
			env := map[string]string{}
			for _, e := range c.Env {
				env[e.Name] = e.Value
			}
			checkSettings(t, env)
			if m := shardRe.FindStringSubmatch(cmd); m != nil {
				sharded++
				n, err := strconv.Atoi(m[2])
				switch {
				case m[1] != "JOB_COMPLETION_INDEX":
					t.Errorf("--shard takes %s; an Indexed Job numbers its pods in JOB_COMPLETION_INDEX", m[1])
				case err != nil:
					t.Errorf("--shard …/%s: the number of shards must be written out", m[2])
				case j.Spec.CompletionMode != "Indexed" || j.Spec.Completions != n:
					t.Errorf("--shard …/%d with completionMode %q and %d completions: want Indexed and %d", n, j.Spec.CompletionMode, j.Spec.Completions, n)
				case j.Spec.Parallelism > n:
					t.Errorf("parallelism %d over the %d shards", j.Spec.Parallelism, n)
				}
			}
		})
	}
	if sharded == 0 {
		t.Error("no Job runs depeche on shards")
	}
}

// decodeLoose decodes YAML into v, ignoring fields the tests do not read.
func decodeLoose(raw []byte, v any) error {
	var node yaml.Node
	if err := yaml.Unmarshal(raw, &node); err != nil {
		return err
	}
	return node.Decode(v)
}

// checkSettings loads depeche's configuration with env and checks that
// every variable named a setting (none warned about as unknown), that each
// took effect, and that the configuration is valid.
func checkSettings(t *testing.T, env map[string]string) {
	t.Helper()
	var warn bytes.Buffer
	var environ []string
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	file := filepath.Join(t.TempDir(), "config.yaml") // no file but the environment
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, src, err := config.Load(config.Options{
		File: file, Getenv: func(k string) string { return env[k] }, Environ: environ, Warn: &warn,
	})
	if err != nil {
		t.Fatalf("config with %v: %v", env, err)
	}
	if warn.Len() > 0 {
		t.Errorf("variables depeche does not know: %s", warn.String())
	}
	seen := map[string]bool{}
	for _, s := range src.Settings(cfg, func(k string) string { return env[k] }) {
		if strings.HasPrefix(s.Source, "env DEPECHE_") {
			seen[strings.Fields(s.Source)[1]] = true
		}
	}
	for k := range env {
		if strings.HasPrefix(k, "DEPECHE_") && !seen[k] {
			t.Errorf("%s did not set anything", k)
		}
	}
	if err := cfg.Validate(false); err != nil {
		t.Errorf("the Job's settings are invalid: %v", err)
	}
}

func TestSlurmScripts(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("slurm", "*"))
	if err != nil || len(paths) < 2 {
		t.Fatalf("slurm/*: %v (%d files)", err, len(paths))
	}
	arrays := 0
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			if out, err := exec.Command("bash", "-n", p).CombinedOutput(); err != nil {
				t.Fatalf("bash -n: %v\n%s", err, out)
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(raw, []byte("#!/bin/bash\n")) {
				t.Error("does not start with #!/bin/bash")
			}
			if st, err := os.Stat(p); err != nil || st.Mode()&0o111 == 0 {
				t.Error("not executable")
			}
			text := string(raw)
			if strings.HasSuffix(p, ".sbatch") && !strings.Contains(text, "\n#SBATCH --job-name=") {
				t.Error("no #SBATCH --job-name")
			}
			m := regexp.MustCompile(`(?m)^#SBATCH --array=0-(\d+)\s*$`).FindStringSubmatch(text)
			if m == nil {
				return
			}
			arrays++
			last, _ := strconv.Atoi(m[1])
			shards := regexp.MustCompile(`(?m)^shards=(\d+)\s*$`).FindStringSubmatch(text)
			if shards == nil || !strings.Contains(text, `--shard "$SLURM_ARRAY_TASK_ID/$shards"`) {
				t.Fatalf("an array job must run --shard \"$SLURM_ARRAY_TASK_ID/$shards\" with shards=N set")
			}
			if n, _ := strconv.Atoi(shards[1]); n != last+1 {
				t.Errorf("--array=0-%d runs %d tasks, shards=%d", last, last+1, n)
			}
		})
	}
	if arrays == 0 {
		t.Error("no Slurm array job")
	}
}

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd, args string
}

func dockerfile(t *testing.T) []instruction {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []instruction
	var cur strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{strings.ToUpper(cmd), strings.Join(strings.Fields(args), " ")})
		cur.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDockerfile: no Docker engine runs where the tests do, so the image
// is not built here; the Dockerfile is read instead. Two stages, a static
// build copied into a runtime image that has the packages the offline
// engine needs (the ones scripts/deps.sh installs), a Go at least as new as
// go.mod asks, an entrypoint that is depeche.
func TestDockerfile(t *testing.T) {
	ins := dockerfile(t)
	known := map[string]bool{"FROM": true, "RUN": true, "COPY": true, "ARG": true, "ENV": true, "WORKDIR": true,
		"USER": true, "ENTRYPOINT": true, "CMD": true, "LABEL": true, "EXPOSE": true}
	var froms []string
	var stage string
	var runtime []instruction
	args := map[string]string{}
	for _, in := range ins {
		if !known[in.cmd] {
			t.Errorf("unknown instruction %s %s", in.cmd, in.args)
		}
		switch in.cmd {
		case "ARG":
			if k, v, ok := strings.Cut(in.args, "="); ok && len(froms) == 0 {
				args[k] = v
			}
		case "FROM":
			froms = append(froms, in.args)
			f := strings.Fields(in.args)
			stage = ""
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				stage = f[2]
			}
		}
		if len(froms) > 1 {
			runtime = append(runtime, in)
		}
	}
	if len(froms) != 2 {
		t.Fatalf("FROM %q: want a build stage and a runtime stage", froms)
	}
	build := strings.Fields(froms[0])
	if len(build) != 3 {
		t.Fatalf("the first stage is not named: FROM %s", froms[0])
	}
	if stage != "" {
		t.Errorf("the runtime stage should be the last, unnamed one, not %q", stage)
	}
	image := strings.ReplaceAll(build[0], "${GO_VERSION}", args["GO_VERSION"])
	checkGoVersion(t, image)

	var runs, copies []string
	var entry string
	for _, in := range ins {
		switch in.cmd {
		case "RUN":
			runs = append(runs, in.args)
		case "ENTRYPOINT":
			entry = in.args
		}
	}
	for _, in := range runtime {
		if in.cmd == "COPY" {
			copies = append(copies, in.args)
		}
	}
	if !slices.ContainsFunc(runs, func(r string) bool {
		return strings.Contains(r, "CGO_ENABLED=0") && strings.Contains(r, "go build") && strings.Contains(r, "./cmd/depeche")
	}) {
		t.Error("no static build (CGO_ENABLED=0 go build … ./cmd/depeche)")
	}
	if !slices.ContainsFunc(copies, func(c string) bool {
		return strings.HasPrefix(c, "--from="+build[2]+" ") && strings.HasSuffix(c, "/usr/local/bin/depeche")
	}) {
		t.Errorf("the runtime stage does not copy the binary from %q: %q", build[2], copies)
	}
	var install string
	for _, in := range runtime {
		if in.cmd == "RUN" && strings.Contains(in.args, "apt-get install") {
			install = in.args
		}
	}
	for _, pkg := range depsPackages(t) {
		if !slices.Contains(strings.Fields(install), pkg) {
			t.Errorf("the runtime image does not install %s, which scripts/deps.sh installs for the offline engine", pkg)
		}
	}
	if !strings.Contains(install, "rm -rf /var/lib/apt/lists") || !strings.Contains(install, "--no-install-recommends") {
		t.Error("the package layer keeps apt's lists or pulls recommends: the image is bigger than it needs to be")
	}
	if entry != `["depeche"]` {
		t.Errorf("ENTRYPOINT %s: want the exec form [\"depeche\"]", entry)
	}
}

// depsPackages lists the Debian packages scripts/deps.sh installs.
func depsPackages(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "scripts", "deps.sh"))
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for _, m := range regexp.MustCompile(`(?m)\binstall "([a-z0-9. -]+)"`).FindAllStringSubmatch(string(raw), -1) {
		pkgs = append(pkgs, strings.Fields(m[1])...)
	}
	if len(pkgs) < 3 {
		t.Fatalf("found %d packages in scripts/deps.sh: %q", len(pkgs), pkgs)
	}
	return pkgs
}

// checkGoVersion: the build image's Go must be at least go.mod's.
func checkGoVersion(t *testing.T, image string) {
	t.Helper()
	m := regexp.MustCompile(`^golang:(\d+)\.(\d+)`).FindStringSubmatch(image)
	if m == nil {
		t.Fatalf("the build stage is %q, not a golang:X.Y image", image)
	}
	raw, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)`).FindStringSubmatch(string(raw))
	if want == nil {
		t.Fatal("go.mod has no go line")
	}
	have := fmt.Sprintf("%03s.%03s", m[1], m[2])
	need := fmt.Sprintf("%03s.%03s", want[1], want[2])
	if have < need {
		t.Errorf("the build image has Go %s.%s, go.mod asks for %s.%s", m[1], m[2], want[1], want[2])
	}
}

// TestMakeImage: `make image` builds the Dockerfile.
func TestMakeImage(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^image:.*\n((?:\t.*\n)+)`).FindSubmatch(raw)
	if m == nil || !bytes.Contains(m[1], []byte("docker build")) {
		t.Fatalf("no image target running docker build in the Makefile")
	}
}
