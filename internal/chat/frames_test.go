package chat

import (
	"errors"
	"testing"
	"unicode/utf8"
)

func FuzzDecodeFrame(f *testing.F) {
	for _, s := range []string{
		`{"v":1,"type":"hello"}`,
		`{"v":1,"type":"hello","token":"abc.def","last":"1-0"}`,
		`{"v":1,"type":"message","id":"m1","text":"wen do withdrawls start"}`,
		`{"v":1,"type":"choose","id":"m2","entry":"withdrawal-timeline"}`,
		`{"v":1,"type":"message","id":"m1","text":"` + "\xff" + `"}`,
		`{"v":2}`, `[]`, `null`, `{"type":1}`, "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := decodeFrame(data, 2000)
		if err != nil {
			var fe *frameError
			if !errors.As(err, &fe) || fe.code == "" || fe.msg == "" {
				t.Fatalf("error without a code and a message: %v", err)
			}
			return
		}
		switch fr.Type {
		case typeHello, typeEnd, typeDelete, typePing:
		case typeMessage:
			if fr.Text == "" || utf8.RuneCountInString(fr.Text) > 2000 || !utf8.ValidString(fr.Text) || fr.ID == "" || len(fr.ID) > maxClientID {
				t.Fatalf("accepted a bad message: %+v", fr)
			}
		case typeChoose, typePerson:
			if fr.ID == "" {
				t.Fatalf("accepted %s without an id", fr.Type)
			}
		default:
			t.Fatalf("accepted type %q", fr.Type)
		}
		if fr.V != Version {
			t.Fatalf("accepted version %d", fr.V)
		}
	})
}
