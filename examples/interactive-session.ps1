# An interactive session with IncrementalPS: paste these lines one at a time.

Import-Module IncrementalPS

# 1. Start a long job. Each file is keyed by its full path and recorded when it is done.
Get-ChildItem ~/photos -Recurse -File -Filter *.jpg |
    Invoke-Incremental thumbnails { magick $_.FullName -resize 256x256 "~/thumbs/$($_.BaseName).jpg" }

# 2. Press Ctrl+C half way. The checkpoint is left Interrupted:
Get-CheckpointStatus thumbnails

# 3. Run the very same command again: it skips what is done and goes on from there.
Get-ChildItem ~/photos -Recurse -File -Filter *.jpg |
    Invoke-Incremental thumbnails { magick $_.FullName -resize 256x256 "~/thumbs/$($_.BaseName).jpg" } -Verbose

# 4. Some files failed? See why, fix the cause, and run only those again.
Get-CheckpointItem thumbnails -State Failed | Format-Table Key, Attempts, @{ n = 'Error'; e = { $_.Error.Message } }
Get-ChildItem ~/photos -Recurse -File -Filter *.jpg |
    Invoke-Incremental thumbnails { magick $_.FullName -resize 256x256 "~/thumbs/$($_.BaseName).jpg" } -RetryFailed

# 5. Objects other than strings and files need a key.
Get-Process | Invoke-Incremental proc-report -Key Id { "$($_.Id) $($_.ProcessName)" }

# 6. Start over.
Reset-Checkpoint thumbnails -Force
