package config

import "testing"

func TestParseSize(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"10MB", 10 << 20, false},
		{"10mb", 10 << 20, false},
		{"512KB", 512 << 10, false},
		{"1GiB", 1 << 30, false},
		{"1.5 MB", 3 << 19, false},
		{"4096", 4096, false},
		{"4096B", 4096, false},
		{" 2 k ", 2048, false},
		{"0", 0, false},
		{"", 0, true},
		{"MB", 0, true},
		{"10XB", 0, true},
		{"ten MB", 0, true},
		{"99999999999TB", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestFormatSizeRoundTrips(t *testing.T) {
	for _, n := range []int64{0, 1, 1000, 1024, 512 << 10, 10 << 20, 3 << 30, 10<<20 + 1} {
		s := FormatSize(n)
		back, err := ParseSize(s)
		if err != nil || back != n {
			t.Errorf("FormatSize(%d) = %q, parses back to %d, %v", n, s, back, err)
		}
	}
	if s := FormatSize(10 << 20); s != "10MB" {
		t.Errorf("FormatSize(10MiB) = %q, want 10MB", s)
	}
}
