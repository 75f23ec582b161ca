package lifecycle_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/store"
	"redress/internal/storetest"
)

// BenchmarkRegisterTx measures the writer's own cost of one registration,
// inside one large transaction (no commit per petition, no HTTP).
func BenchmarkRegisterTx(b *testing.B) {
	st := storetest.Open(b)
	o := storetest.Seed(b, st)
	svc := lifecycle.New(st, nil)
	ctx := context.Background()
	preps := make([]lifecycle.Prepared, b.N)
	for i := range preps {
		p, err := svc.Prepare(ctx, intake.Record{ExternalID: fmt.Sprintf("B-%d", i), ReceivedAt: time.Now().Add(-time.Hour), Channel: "hotline",
			PetitionerName: "张明", Phone: "13900000000", DistrictCode: "211402", Address: "连山区站前街道幸福小区3号楼2单元",
			Title: "供暖不热", Content: "市民来电反映：幸福小区3号楼2单元今冬室温长期低于16度，多次联系热力公司未解决，诉求尽快维修管网、恢复正常供暖。"}, true)
		if err != nil {
			b.Fatal(err)
		}
		preps[i] = p
	}
	b.ResetTimer()
	err := st.Write(ctx, func(tx *store.Tx) error {
		for _, p := range preps {
			if _, err := svc.RegisterTx(tx, o.Users["bureau"], p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
