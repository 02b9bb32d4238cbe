module example.com/prune

go 1.22
