package diffuseq

import (
	"fmt"
	"testing"
)

func TestSpaceTimesteps(t *testing.T) {
	for _, c := range []struct {
		steps    int
		sections string
		want     string
	}{
		{2000, "10", "[0 222 444 666 888 1111 1333 1555 1777 1999]"},
		{10, "ddim4", "[0 3 6 9]"},
		{10, "1,2", "[0 5 9]"},
		{4, "3", "[0 2 3]"},     // stride 1.5: round(1.5) = 2
		{7, "5", "[0 2 3 4 6]"}, // stride 1.5: round(4.5) = 4 (half to even)
		{10, "10", "[0 1 2 3 4 5 6 7 8 9]"},
		{11, "2,3", "[0 5 6 8 10]"}, // sizes 6 and 5
	} {
		got, err := SpaceTimesteps(c.steps, c.sections)
		if err != nil {
			t.Errorf("SpaceTimesteps(%d, %q): %v", c.steps, c.sections, err)
			continue
		}
		if fmt.Sprint(got) != c.want {
			t.Errorf("SpaceTimesteps(%d, %q) = %v, want %s", c.steps, c.sections, got, c.want)
		}
	}
	ddim50, err := SpaceTimesteps(2000, "ddim50")
	if err != nil || len(ddim50) != 50 || ddim50[1] != 40 || ddim50[49] != 1960 {
		t.Errorf("ddim50 = %v, %v", ddim50, err)
	}
	for _, bad := range []string{"ddim7", "11", "a,b", "ddimx", "-1"} {
		if _, err := SpaceTimesteps(10, bad); err == nil {
			t.Errorf("SpaceTimesteps(10, %q) accepted", bad)
		}
	}
}

// TestRespace: a respaced process reproduces the base ᾱ at the kept steps
// and feeds the network the original indices.
func TestRespace(t *testing.T) {
	betas, _ := NamedBetaSchedule(ScheduleSqrt, 2000)
	base, err := NewDiffusion(betas, true)
	if err != nil {
		t.Fatal(err)
	}
	keep := []int{0, 999, 1500, 1999}
	s, err := base.Respace(keep)
	if err != nil {
		t.Fatal(err)
	}
	for k, orig := range keep {
		// 1 − (1 − ᾱ_a/ᾱ_b) loses a few bits when the ratio is tiny (last step).
		if relErr(s.AlphasCumprod[k], base.AlphasCumprod[orig], 0) > 1e-10 {
			t.Errorf("ᾱ'_%d = %v, base ᾱ_%d = %v", k, s.AlphasCumprod[k], orig, base.AlphasCumprod[orig])
		}
	}
	if s.NumTimesteps != 4 || s.OriginalNumSteps != 2000 || s.ModelTimestep(1) != 499.5 {
		t.Errorf("respaced: K=%d K₀=%d τ(1)=%v", s.NumTimesteps, s.OriginalNumSteps, s.ModelTimestep(1))
	}
	// Respacing a respaced process composes the maps.
	s2, err := s.Respace([]int{1, 3})
	if err != nil || fmt.Sprint(s2.TimestepMap) != "[999 1999]" || s2.ModelTimestep(1) != 999.5 {
		t.Errorf("nested respace map %v, err %v", s2.TimestepMap, err)
	}
	all, _ := SpaceTimesteps(2000, "2000")
	full, _ := base.Respace(all)
	for i := range betas {
		if relErr(full.Betas[i], betas[i], 0) > 1e-12 {
			t.Fatalf("all-kept β_%d = %v, raw %v", i, full.Betas[i], betas[i])
		}
	}
	for _, bad := range [][]int{{5}, {3, 2}, {0, 2000}, {-1, 4}} {
		if _, err := base.Respace(bad); err == nil {
			t.Errorf("Respace(%v) accepted", bad)
		}
	}
}
