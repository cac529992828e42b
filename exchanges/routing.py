from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path("ws/echanges/<slug:slug>/", consumers.ChannelConsumer.as_asgi()),
]
