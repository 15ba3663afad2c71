// Command etcd is a thin wrapper around the etcd server so that scripts/control-plane
// can build a pinned etcd with the ordinary go command (go install of
// go.etcd.io/etcd/server/v3 fails because of its replace directives).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
